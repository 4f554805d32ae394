import {
  ALERT_KIND_LABELS,
  type AlertList,
  NOTICE_SEVERITY_LABELS,
  type SupervisionAlert,
} from '@kesu/shared';
import { Alert, App, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorMessage, formatDateTime } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { BLANK_DRAFT, type NoticeDraft, NoticeFormModal } from './notice-form.modal';
import { useAlerts, useAlertsToNotices } from './supervision.api';
import { SEVERITY_COLORS } from './supervision.labels';

/** When the scheduled scan last ran and how many alerts it found new, in Beijing time to the minute. */
export function lastAutoScanText(scan: AlertList['lastAutoScan']): string {
  if (!scan) return '上次自动扫描：尚未运行';
  const failed = scan.failedSources.length > 0 ? `，${scan.failedSources.length} 个来源失败` : '';
  return `上次自动扫描：${formatDateTime(scan.startedAt).slice(0, 16)}（新增 ${scan.new} 条${failed}）`;
}

/**
 * /supervision/alerts — alerts computed now (overdue reports, red indicators, overdue notices), and when the
 * scheduled scan (which notifies the office of new alerts) last ran. "转为督办" opens the issue form filled with the
 * alert's proposal; an alert already turned into an open notice links to it.
 */
export function AlertsPage() {
  const me = useCurrentUser();
  const q = useAlerts();
  const [draft, setDraft] = useState<NoticeDraft | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const batch = useAlertsToNotices();
  const { modal, message } = App.useApp();
  const isAdmin = me.role === 'admin';
  const turnSelected = () =>
    modal.confirm({
      title: `把选中的 ${selected.length} 条预警转为督办单？`,
      content: '每条按其建议的等级、期限和内容交办给相应单位，单位会收到通知。',
      okText: '确认交办',
      cancelText: '取消',
      onOk: async () => {
        try {
          const r = await batch.mutateAsync({ alertKeys: selected });
          setSelected([]);
          if (r.skipped.length === 0) message.success(`已交办 ${r.created.length} 份督办单`);
          else
            modal.warning({
              title: `已交办 ${r.created.length} 份，${r.skipped.length} 条未交办`,
              content: (
                <ul style={{ paddingInlineStart: 18, margin: 0 }}>
                  {r.skipped.map((s) => {
                    const a = q.data?.items.find((x) => x.key === s.alertKey);
                    return (
                      <li
                        key={s.alertKey}
                      >{`${a ? `${a.unitName}：${a.title}` : '一条预警'} — ${s.reason}`}</li>
                    );
                  })}
                </ul>
              ),
            });
        } catch (err) {
          message.error(errorMessage(err));
        }
      },
    });
  const toDraft = (a: SupervisionAlert): NoticeDraft => ({
    ...BLANK_DRAFT,
    unitId: a.unitId,
    unitName: a.unitName,
    subject: a.proposal.subject,
    content: a.proposal.content,
    severity: a.proposal.severity,
    deadline: a.proposal.deadline,
    link: a.proposal.link,
    alertKey: a.key,
  });
  return (
    <Card
      title="督办预警"
      extra={
        <Space wrap>
          {q.data && <Typography.Text type="secondary">计算日期 {q.data.today}</Typography.Text>}
          {q.data && (
            <Typography.Text type="secondary">{lastAutoScanText(q.data.lastAutoScan)}</Typography.Text>
          )}
          {isAdmin && (
            <Button
              type="primary"
              disabled={selected.length === 0}
              loading={batch.isPending}
              onClick={turnSelected}
            >
              批量转为督办{selected.length > 0 ? `（${selected.length}）` : ''}
            </Button>
          )}
          <Button onClick={() => void q.refetch()} loading={q.isFetching}>
            重新计算
          </Button>
        </Space>
      }
    >
      {q.isError && <Alert type="error" showIcon title={errorMessage(q.error)} />}
      {(q.data?.failedSources.length ?? 0) > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={`部分预警来源计算失败（${q.data?.failedSources.join('、')}），列表可能不完整`}
        />
      )}
      <Table<SupervisionAlert>
        rowKey="key"
        dataSource={q.data?.items ?? []}
        {...(isAdmin
          ? {
              rowSelection: {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys.map(String)),
                getCheckboxProps: (a: SupervisionAlert) => ({ disabled: a.noticeId !== null }),
              },
            }
          : {})}
        loading={q.isFetching}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '暂无预警：没有逾期报告、红灯指标或逾期督办' }}
        pagination={{ pageSize: 20 }}
        columns={[
          {
            title: '类型',
            key: 'kind',
            render: (_, a) => (
              <Tag color={a.kind === 'report_overdue' ? 'gold' : 'red'}>{ALERT_KIND_LABELS[a.kind]}</Tag>
            ),
          },
          { title: '单位', dataIndex: 'unitName' },
          {
            title: '预警',
            key: 'title',
            render: (_, a) => (
              <div style={{ maxWidth: 520 }}>
                <div>{a.title}</div>
                <Typography.Text type="secondary">{a.detail}</Typography.Text>
              </div>
            ),
          },
          {
            title: '建议等级',
            key: 'severity',
            render: (_, a) => (
              <Tag color={SEVERITY_COLORS[a.proposal.severity]}>
                {NOTICE_SEVERITY_LABELS[a.proposal.severity]}
              </Tag>
            ),
          },
          {
            title: '操作',
            key: 'op',
            render: (_, a) =>
              a.noticeId ? (
                <Link to={`/supervision/notices/${a.noticeId}`}>已督办，查看</Link>
              ) : me.role === 'admin' ? (
                <Button size="small" type="primary" onClick={() => setDraft(toDraft(a))}>
                  转为督办
                </Button>
              ) : null,
          },
        ]}
      />
      {draft && <NoticeFormModal open draft={draft} onClose={() => setDraft(null)} />}
    </Card>
  );
}
