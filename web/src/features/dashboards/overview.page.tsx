import { Alert, App, Button, Empty, Modal, Popconfirm, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { errorMessage, formatDateTime } from '../../lib/format';
import { dashboardTitle } from '../../layout/nav';
import { useCurrentUser } from '../auth/require-auth';
import { useCycles } from '../reporting/reporting.api';
import { type DrillTarget, useOverview, usePublish, useSnapshots, useUnpublish } from './dashboards.api';
import { DrillDrawer } from './drill-drawer';
import { OverviewView } from './overview-view';
import { ResourcesCard } from './resources-card';
import { BLANK_DRAFT, type NoticeDraft, NoticeFormModal } from '../supervision/notice-form.modal';
import type { ChildJurisdictionRow } from '@kesu/shared';

/**
 * 全市看板: the overview of a cycle (the latest by default) with a cycle picker; numbers open the reports behind
 * them. The admin publishes the shown cycle to the public dashboard or withdraws it; leaders read only.
 */
export function OverviewPanel({ title = '全市看板' }: { title?: string }) {
  const me = useCurrentUser();
  const { message } = App.useApp();
  // The cycle or plan shown is in the address, so a drill-down to a county's dashboard can be bookmarked and left.
  const [params, setParams] = useSearchParams();
  const cycleId = params.get('cycleId');
  const planId = params.get('planId');
  const setCycleId = (id: string | null) => setParams(id ? { cycleId: id } : {});
  const [target, setTarget] = useState<DrillTarget | null>(null);
  const [notice, setNotice] = useState<NoticeDraft | null>(null);
  const cycles = useCycles();
  const q = useOverview(cycleId, planId);
  const elsewhere = (cycleId !== null || planId !== null) && q.data !== undefined;
  const shownCycle = q.data?.cycle?.id ?? null;
  // Each level's office publishes its own level's dashboard (not a lower level's it is looking at).
  const ownLevel =
    q.data !== undefined &&
    (me.jurisdictionId === null ? me.atRoot : q.data.jurisdictionId === me.jurisdictionId);
  const isAdmin = me.role === 'admin' && ownLevel;
  const snapshots = useSnapshots(shownCycle, isAdmin);
  const publish = usePublish();
  const unpublish = useUnpublish();
  const live = snapshots.data?.items.find((s) => s.isPublished) ?? null;
  const [previewing, setPreviewing] = useState(false);
  const onPublish = () => {
    if (!shownCycle) return;
    publish.mutate(shownCycle, {
      onSuccess: () => {
        setPreviewing(false);
        message.success('已发布到公众看板（快照）');
      },
      onError: (e) => message.error(errorMessage(e)),
    });
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
        <Space wrap>
          <Select
            style={{ minWidth: 220 }}
            placeholder="最新周期"
            allowClear
            value={cycleId ?? undefined}
            onChange={(v) => setCycleId(v ?? null)}
            options={(cycles.data?.items ?? []).map((c) => ({
              value: c.id,
              label: `${c.name}（${c.planTitle}）`,
            }))}
            aria-label="选择填报周期"
          />
          {isAdmin && shownCycle && (
            <>
              {live ? (
                <Tag color="green">已发布 {formatDateTime(live.publishedAt).slice(0, 10)}</Tag>
              ) : (
                <Tag>未发布</Tag>
              )}
              <Button type="primary" loading={publish.isPending} onClick={() => setPreviewing(true)}>
                {live ? '重新发布' : '发布到公众看板'}
              </Button>
              {live && (
                <Popconfirm
                  title="撤回后公众将看不到该周期的看板，确定？"
                  onConfirm={() => unpublish.mutate(live.id)}
                >
                  <Button danger>撤回发布</Button>
                </Popconfirm>
              )}
            </>
          )}
        </Space>
      </Space>
      {q.isLoading ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : q.isError || !q.data ? (
        <Empty description="还没有填报周期，暂无可展示的数据" />
      ) : (
        <>
          {elsewhere && (
            <Alert
              type="info"
              showIcon
              title={`正在查看：${q.data.planTitle}${q.data.cycle ? `（${q.data.cycle.name}）` : ''}`}
              action={
                <Button size="small" onClick={() => setParams({})}>
                  返回本级看板
                </Button>
              }
            />
          )}
          <OverviewView
            overview={q.data}
            onDrill={setTarget}
            onOpenChild={(c) =>
              setParams(c.cycleId ? { cycleId: c.cycleId } : c.planId ? { planId: c.planId } : {})
            }
            {...(me.role === 'admin' && !elsewhere
              ? { onSuperviseChild: (c: ChildJurisdictionRow) => setNotice(superviseDraft(c)) }
              : {})}
          />
        </>
      )}
      {/* The level's 科普活动 coverage, plan or no plan: the year the overview stands at, else this year. */}
      {!q.isLoading && (
        <ResourcesCard
          jurisdictionId={q.data?.jurisdictionId ?? me.jurisdictionId ?? undefined}
          year={Number((q.data?.asOf ?? new Date().toISOString()).slice(0, 4))}
        />
      )}
      <DrillDrawer cycleId={shownCycle} target={target} onClose={() => setTarget(null)} />
      {notice && <NoticeFormModal open draft={notice} onClose={() => setNotice(null)} />}
      <Modal
        open={previewing && q.data !== undefined}
        title={`发布预览：${q.data?.cycle?.name ?? ''}`}
        width="min(1100px, 96vw)"
        okText="确认发布"
        cancelText="取消"
        confirmLoading={publish.isPending}
        onOk={onPublish}
        onCancel={() => setPreviewing(false)}
      >
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title="公众看板将显示下面这份快照：发布后数据不再随填报变化，直到重新发布；可随时撤回。含演示数据的周期不能发布。"
        />
        {q.data && <OverviewView overview={q.data} />}
      </Modal>
    </Space>
  );
}

/** 督办 a county from the comparison: addressed to its government unit, with the figures that prompted it. */
function superviseDraft(c: ChildJurisdictionRow): NoticeDraft {
  const figures = [
    c.progress === null ? '规划完成度无数据' : `规划完成度 ${(c.progress * 100).toFixed(1)}%`,
    c.onTimeRate === null ? null : `按时报送率 ${(c.onTimeRate * 100).toFixed(1)}%`,
    c.counts.red > 0 ? `红灯指标 ${c.counts.red} 项` : null,
  ].filter(Boolean);
  return {
    ...BLANK_DRAFT,
    unitId: c.governmentUnitId,
    unitName: c.name,
    severity: c.status === 'red' || c.planId === null ? 'red' : 'yellow',
    subject: `关于${c.name}全民科学素质行动规划实施进度的督办`,
    content:
      c.planId === null
        ? `${c.name}尚未导入本地实施方案。请尽快制定并导入，对接上级任务。`
        : `${c.name}${figures.join('，')}。请对照实施方案查找原因、提出整改措施，并在办理期限内反馈。`,
  };
}

export function OverviewPage() {
  const me = useCurrentUser();
  return <OverviewPanel title={dashboardTitle(me)} />;
}
