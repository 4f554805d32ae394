import {
  ApartmentOutlined,
  AlertOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  FlagOutlined,
  CalendarOutlined,
  ClusterOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  ExperimentOutlined,
  PieChartOutlined,
  FileDoneOutlined,
  FileWordOutlined,
  InboxOutlined,
  FormOutlined,
  LineChartOutlined,
  CheckSquareOutlined,
  HomeOutlined,
  ProfileOutlined,
  TeamOutlined,
  UserOutlined,
  WalletOutlined,
  TrophyOutlined,
  StarOutlined,
  SolutionOutlined,
  ReadOutlined,
  RadarChartOutlined,
} from '@ant-design/icons';
import type { Role } from '@kesu/shared';
import type { ReactNode } from 'react';

export interface NavItem {
  path: string;
  label: string;
  icon: ReactNode;
  /** Who sees the entry. The server still decides what each role may do; this only hides dead ends. */
  roles: readonly Role[] | 'all';
  /** Only the root jurisdiction's staff (the city office): not yet scoped to a county. */
  rootOnly?: boolean;
  /** Roles that see the entry only below the root (a county's admin has 我的考核; the city's has none). */
  belowRootFor?: readonly Role[];
}

/** The navigation, in menu order. Later features (plan, reports, monitoring) add a row here. */
export const NAV_ITEMS: readonly NavItem[] = [
  { path: '/', label: '首页', icon: <HomeOutlined />, roles: 'all' },
  { path: '/dashboard', label: '全市看板', icon: <BarChartOutlined />, roles: 'all' },
  { path: '/plans', label: '规划', icon: <ProfileOutlined />, roles: 'all' },
  { path: '/plans/my-tasks', label: '单位任务', icon: <CheckSquareOutlined />, roles: 'all' },
  { path: '/reporting', label: '填报事项', icon: <InboxOutlined />, roles: 'all' },
  {
    path: '/reporting/review',
    label: '报告审核',
    icon: <FileDoneOutlined />,
    roles: ['admin', 'leader', 'analyst'],
  },
  { path: '/reporting/indicators', label: '指标完成情况', icon: <DashboardOutlined />, roles: 'all' },
  { path: '/registries', label: '资源库', icon: <DatabaseOutlined />, roles: 'all' },
  {
    path: '/reporting/cycles',
    label: '填报周期',
    icon: <CalendarOutlined />,
    roles: ['admin'],
  },
  {
    path: '/supervision',
    label: '督办管理',
    icon: <FlagOutlined />,
    roles: ['admin', 'leader', 'analyst'],
  },
  {
    path: '/supervision/alerts',
    label: '督办预警',
    icon: <AlertOutlined />,
    roles: ['admin', 'leader', 'analyst'],
    rootOnly: true,
  },
  { path: '/supervision/mine', label: '我的督办', icon: <BellOutlined />, roles: ['reporter'] },
  { path: '/activities', label: '科普活动', icon: <ExperimentOutlined />, roles: 'all' },
  { path: '/activities/coverage', label: '活动覆盖面', icon: <PieChartOutlined />, roles: 'all' },
  { path: '/funding', label: '科普经费', icon: <WalletOutlined />, roles: ['admin', 'leader', 'analyst'] },
  {
    path: '/assessments',
    label: '年度考核',
    icon: <TrophyOutlined />,
    roles: ['admin', 'leader', 'analyst'],
  },
  {
    path: '/assessments/mine',
    label: '我的考核',
    icon: <SolutionOutlined />,
    roles: ['reporter', 'admin'],
    belowRootFor: ['admin'],
  },
  {
    path: '/capacity',
    label: '能力监测评估',
    icon: <RadarChartOutlined />,
    roles: ['admin', 'leader', 'analyst'],
  },
  {
    path: '/recognitions',
    label: '表彰奖励',
    icon: <StarOutlined />,
    roles: ['admin', 'leader', 'analyst'],
  },
  { path: '/documents', label: '文档生成', icon: <FileWordOutlined />, roles: 'all' },
  { path: '/content', label: '科普内容', icon: <ReadOutlined />, roles: ['admin'] },
  { path: '/jurisdictions', label: '行政区划', icon: <ClusterOutlined />, roles: ['admin'] },
  { path: '/units', label: '组织机构', icon: <ApartmentOutlined />, roles: ['admin'] },
  { path: '/users', label: '用户管理', icon: <TeamOutlined />, roles: ['admin'] },
  { path: '/audit', label: '审计日志', icon: <AuditOutlined />, roles: ['admin'], rootOnly: true },
  {
    path: '/monitoring',
    label: '科学素质监测',
    icon: <LineChartOutlined />,
    roles: ['admin', 'analyst', 'leader'],
    rootOnly: true,
  },
  {
    path: '/instruments',
    label: '问卷与自测',
    icon: <FormOutlined />,
    roles: ['admin', 'analyst', 'leader'],
    rootOnly: true,
  },
  { path: '/account', label: '账号', icon: <UserOutlined />, roles: 'all' },
];

/** The dashboard's name for a user: 全市看板 at the root, the jurisdiction's own otherwise (丰县看板). */
export function dashboardTitle(me: { atRoot: boolean; jurisdictionName: string | null }): string {
  return me.atRoot ? '全市看板' : `${me.jurisdictionName ?? '本级'}看板`;
}

export function navForRole(role: Role, items: readonly NavItem[] = NAV_ITEMS, atRoot = true): NavItem[] {
  return items.filter(
    (item) =>
      (item.roles === 'all' || item.roles.includes(role)) &&
      (atRoot || !item.rootOnly) &&
      !(atRoot && item.belowRootFor?.includes(role)),
  );
}

/** The entry a path belongs to: the longest matching prefix, so /units/123 highlights 组织机构. */
export function activeNavPath(pathname: string, items: readonly NavItem[]): string | undefined {
  let best: string | undefined;
  for (const { path } of items) {
    const matches = path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`);
    if (matches && (best === undefined || path.length > best.length)) best = path;
  }
  return best;
}
