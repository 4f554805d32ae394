import {
  NOTICE_SEVERITIES,
  NOTICE_SEVERITY_LABELS,
  NOTICE_STATE_LABELS,
  NOTICE_STATES,
  type Notice,
  type NoticeSeverity,
  type NoticeState,
} from '@kesu/shared';
import { Alert, Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { UnitSelect } from '../units/unit-select';
import { errorMessage, formatDateTime } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { BLANK_DRAFT, NoticeFormModal } from './notice-form.modal';
import { useNotices } from './supervision.api';
import { NOTICE_STATE_COLORS, SEVERITY_COLORS } from './supervision.labels';
import { serverPagination } from '../../components/server-pagination';

/**
 * /supervision — every notice, filtered by unit, colour, state and overdue (admin, leader, analyst); the admin
 * issues new ones. /supervision/mine — 我的督办: a reporter's own unit's notices, to sign, reply and finish.
 */
export function NoticesPage({ mine = false }: { mine?: boolean }) {
  const me = useCurrentUser();
  const [unitId, setUnitId] = useState<string | null>(null);
  const [severity, setSeverity] = useState<NoticeSeverity | undefined>();
  const [state, setState] = useState<NoticeState | undefined>();
  const [overdue, setOverdue] = useState<'true' | 'false' | undefined>();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [formOpen, setFormOpen] = useState(false);
  const list = useNotices({
    ...(mine ? {} : { unitId: unitId ?? undefined }),
    severity,
    state,
    overdue,
    ...page,
  });
  const first = () => setPage((p) => ({ ...p, page: 1 }));
  const canIssue = me.role === 'admin' && !mine;
  return (
    <Card
      title={mine ? `我的督办${me.unitName ? `（${me.unitName}）` : ''}` : '督办管理'}
      extra={
        canIssue && (
          <Space>
            <Link to="/supervision/alerts">查看预警</Link>
            <Button type="primary" onClick={() => setFormOpen(true)}>
              交办督办单
            </Button>
          </Space>
        )
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        {!mine && (
          <UnitSelect
            id="notices-unit"
            placeholder="全部单位"
            value={unitId}
            style={{ width: 220 }}
            onChange={(v) => {
              setUnitId(v);
              first();
            }}
          />
        )}
        <Select<NoticeSeverity>
          aria-label="督办等级"
          placeholder="全部等级"
          allowClear
          style={{ width: 130 }}
          value={severity}
          onChange={(v) => {
            setSeverity(v);
            first();
          }}
          options={NOTICE_SEVERITIES.map((s) => ({ value: s, label: NOTICE_SEVERITY_LABELS[s] }))}
        />
        <Select<NoticeState>
          aria-label="办理状态"
          placeholder="全部状态"
          allowClear
          style={{ width: 130 }}
          value={state}
          onChange={(v) => {
            setState(v);
            first();
          }}
          options={NOTICE_STATES.map((s) => ({ value: s, label: NOTICE_STATE_LABELS[s] }))}
        />
        <Select<'true' | 'false'>
          aria-label="是否逾期"
          placeholder="逾期与否"
          allowClear
          style={{ width: 130 }}
          value={overdue}
          onChange={(v) => {
            setOverdue(v);
            first();
          }}
          options={[
            { value: 'true', label: '已逾期' },
            { value: 'false', label: '未逾期' },
          ]}
        />
      </Space>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      <Table<Notice>
        rowKey="id"
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: mine ? '本单位暂无督办事项' : '暂无督办单' }}
        pagination={serverPagination(
          page,
          list.data?.total,
          (p, s) => setPage({ page: p, pageSize: s }),
          '份督办单',
        )}
        columns={[
          {
            title: '等级',
            key: 'severity',
            render: (_, n) => (
              <Tag color={SEVERITY_COLORS[n.severity]}>{NOTICE_SEVERITY_LABELS[n.severity]}</Tag>
            ),
          },
          {
            title: '督办事项',
            key: 'subject',
            render: (_, n) => <Link to={`/supervision/notices/${n.id}`}>{n.subject}</Link>,
          },
          ...(mine ? [] : [{ title: '承办单位', dataIndex: 'unitName' as const }]),
          {
            title: '状态',
            key: 'state',
            render: (_, n) => (
              <Space size={4}>
                <Tag color={NOTICE_STATE_COLORS[n.state]}>{NOTICE_STATE_LABELS[n.state]}</Tag>
                {n.isOverdue && <Tag color="red">已逾期</Tag>}
              </Space>
            ),
          },
          {
            title: '办理期限',
            key: 'deadline',
            render: (_, n) =>
              n.isOverdue ? <Typography.Text type="danger">{n.deadline}</Typography.Text> : n.deadline,
          },
          { title: '交办时间', key: 'issuedAt', render: (_, n) => formatDateTime(n.issuedAt) },
          {
            title: '操作',
            key: 'op',
            render: (_, n) => (
              <Link to={`/supervision/notices/${n.id}`}>
                {mine && (n.state === 'issued' || n.state === 'signed' || n.state === 'returned')
                  ? '办理'
                  : n.state === 'done' && me.role === 'admin'
                    ? '审核'
                    : '查看'}
              </Link>
            ),
          },
        ]}
      />
      {canIssue && <NoticeFormModal open={formOpen} draft={BLANK_DRAFT} onClose={() => setFormOpen(false)} />}
    </Card>
  );
}

export function MyNoticesPage() {
  return <NoticesPage mine />;
}
