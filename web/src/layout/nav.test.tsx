import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { buildMe, renderApp } from '../test/render';
import { NAV_ITEMS, activeNavPath, navForRole } from './nav';

describe('navForRole', () => {
  it('gives the admin every management entry', () => {
    expect(navForRole('admin').map((i) => i.label)).toEqual([
      '首页',
      '全市看板',
      '规划',
      '单位任务',
      '填报事项',
      '报告审核',
      '指标完成情况',
      '资源库',
      '填报周期',
      '督办管理',
      '督办预警',
      '科普活动',
      '活动覆盖面',
      '科普经费',
      '年度考核',
      '能力监测评估',
      '表彰奖励',
      '文档生成',
      '科普内容',
      '行政区划',
      '组织机构',
      '用户管理',
      '审计日志',
      '科学素质监测',
      '问卷与自测',
      '账号',
    ]);
  });

  it("gives a county's admin only what is scoped to the county", () => {
    expect(navForRole('admin', NAV_ITEMS, false).map((i) => i.label)).toEqual([
      '首页',
      '全市看板',
      '规划',
      '单位任务',
      '填报事项',
      '报告审核',
      '指标完成情况',
      '资源库',
      '填报周期',
      '督办管理',
      '科普活动',
      '活动覆盖面',
      '科普经费',
      '年度考核',
      '我的考核',
      '能力监测评估',
      '表彰奖励',
      '文档生成',
      '科普内容',
      '行政区划',
      '组织机构',
      '用户管理',
      '账号',
    ]);
  });

  it.each(['reporter'] as const)('gives %s only 首页 and 账号', (role) => {
    expect(navForRole(role).map((i) => i.label)).toEqual([
      '首页',
      '全市看板',
      '规划',
      '单位任务',
      '填报事项',
      '指标完成情况',
      '资源库',
      '我的督办',
      '科普活动',
      '活动覆盖面',
      '我的考核',
      '文档生成',
      '账号',
    ]);
  });

  it.each(['leader', 'analyst'] as const)('gives %s the monitoring pages, and a reporter not', (role) => {
    expect(navForRole(role).map((i) => i.label)).toContain('科学素质监测');
    expect(navForRole('reporter').map((i) => i.label)).not.toContain('科学素质监测');
  });

  it.each(['leader', 'analyst'] as const)('gives %s the instruments page, and a reporter not', (role) => {
    expect(navForRole(role).map((i) => i.label)).toContain('问卷与自测');
    expect(navForRole('reporter').map((i) => i.label)).not.toContain('问卷与自测');
  });

  it('highlights the longest matching entry', () => {
    expect(activeNavPath('/units/abc', NAV_ITEMS)).toBe('/units');
    expect(activeNavPath('/account/password', NAV_ITEMS)).toBe('/account');
    expect(activeNavPath('/', NAV_ITEMS)).toBe('/');
    expect(activeNavPath('/unitsx', NAV_ITEMS)).toBeUndefined();
  });
});

describe('AppLayout navigation', () => {
  it('shows the admin menu and header', async () => {
    renderApp('/', buildMe());
    const nav = await screen.findByRole('menu', { name: '主导航' });
    const links = within(nav)
      .getAllByRole('link')
      .map((a) => a.textContent);
    expect(links).toEqual([
      '首页',
      '全市看板',
      '规划',
      '单位任务',
      '填报事项',
      '报告审核',
      '指标完成情况',
      '资源库',
      '填报周期',
      '督办管理',
      '督办预警',
      '科普活动',
      '活动覆盖面',
      '科普经费',
      '年度考核',
      '能力监测评估',
      '表彰奖励',
      '文档生成',
      '科普内容',
      '行政区划',
      '组织机构',
      '用户管理',
      '审计日志',
      '科学素质监测',
      '问卷与自测',
      '账号',
    ]);
    expect(screen.getByTestId('current-user').textContent).toContain('管理员');
    expect(screen.getByRole('button', { name: /退出登录/ })).toBeTruthy();
  });

  it('hides management entries from a reporter and shows the unit in the header', async () => {
    renderApp('/', buildMe({ role: 'reporter', displayName: '张三', unitId: null, unitName: '市教育局' }));
    const nav = await screen.findByRole('menu', { name: '主导航' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual([
      '首页',
      '全市看板',
      '规划',
      '单位任务',
      '填报事项',
      '指标完成情况',
      '资源库',
      '我的督办',
      '科普活动',
      '活动覆盖面',
      '我的考核',
      '文档生成',
      '账号',
    ]);
    expect(screen.getByTestId('current-user').textContent).toContain('市教育局');
  });

  it('answers a reporter who types /users with the 403 page', async () => {
    renderApp('/users', buildMe({ role: 'reporter' }));
    expect(await screen.findByText('没有权限访问此页面。如需开通，请联系管理员。')).toBeTruthy();
  });

  it('shows only the password form while a change is forced', async () => {
    renderApp('/units', buildMe({ mustChangePassword: true }));
    expect(await screen.findByText('首次登录，请修改密码')).toBeTruthy();
    expect(screen.queryByRole('menu', { name: '主导航' })).toBeNull();
  });
});
