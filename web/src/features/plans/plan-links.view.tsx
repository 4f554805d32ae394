import type { PlanLinkRow, PlanLinks } from '@kesu/shared';
import { Alert, App, Button, Empty, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { errorMessage } from '../../lib/format';
import { usePlanLinks, useProposeLinks, useSetTaskLinks } from './plan-links.api';

/** One task's decision: the proposal pre-selected; 确认 saves the selection (empty: implements none of the above). */
function LinkEditor({
  row,
  links,
  onSave,
  saving,
}: {
  row: PlanLinkRow;
  links: PlanLinks;
  onSave: (ids: string[]) => void;
  saving: boolean;
}) {
  const [value, setValue] = useState<string[]>(row.links.map((l) => l.targetTaskId));
  const isProposal = row.links.length > 0 && row.links.every((l) => l.state === 'proposed');
  return (
    <Space wrap>
      <Select
        mode="multiple"
        aria-label={`${row.path} 对接的上级任务`}
        placeholder="不对接上级任务"
        style={{ minWidth: 220, maxWidth: 360 }}
        value={value}
        onChange={setValue}
        optionFilterProp="label"
        options={links.parentTasks.map((t) => ({ value: t.id, label: `${t.path} ${t.title}` }))}
      />
      <Button
        size="small"
        type={isProposal ? 'primary' : 'default'}
        loading={saving}
        onClick={() => onSave(value)}
      >
        确认
      </Button>
    </Space>
  );
}

/**
 * 对接上级任务: each task of a county's plan against the plan of the level above. kesu proposes where the tasks are
 * alike (with its reasons); the county admin confirms, changes or leaves a task unlinked — shown as such, never
 * guessed silently.
 */
export function PlanLinksView({ planId, canEdit }: { planId: string; canEdit: boolean }) {
  const links = usePlanLinks(planId);
  const propose = useProposeLinks(planId);
  const save = useSetTaskLinks(planId);
  const { message } = App.useApp();
  if (links.isError) return <Alert type="error" showIcon title={errorMessage(links.error)} />;
  const data = links.data;
  if (!data) return null;
  if (!data.parentPlan) {
    return <Empty description="上级还没有规划：上级导入规划后，可在这里把本级任务对接到上级任务" />;
  }

  const columns: ColumnsType<PlanLinkRow> = [
    {
      title: '本级任务',
      key: 'task',
      render: (_, r) => (
        <span>
          <Typography.Text type="secondary">{r.path}</Typography.Text> {r.title}
        </span>
      ),
    },
    {
      title: '对接的上级任务',
      key: 'links',
      render: (_, r) =>
        canEdit ? (
          <LinkEditor
            key={r.links.map((l) => l.targetTaskId + l.state).join()}
            row={r}
            links={data}
            saving={save.isPending && save.variables?.taskId === r.taskId}
            onSave={(ids) =>
              save.mutate(
                { taskId: r.taskId, targetTaskIds: ids },
                {
                  onSuccess: () => void message.success(ids.length ? '已确认对接' : '已标记为不对接'),
                  onError: (e) => void message.error(errorMessage(e)),
                },
              )
            }
          />
        ) : r.links.length ? (
          r.links.map((l) => (
            <div key={l.targetTaskId}>
              {l.targetPath} {l.targetTitle}
            </div>
          ))
        ) : (
          '—'
        ),
    },
    {
      title: '状态',
      key: 'state',
      width: 120,
      render: (_, r) => {
        if (r.links.some((l) => l.state === 'confirmed')) return <Tag color="green">已对接</Tag>;
        const p = r.links[0];
        if (p) {
          return (
            <Tooltip title={`${p.reasons.join('；')}（相似度 ${p.score}）`}>
              <Tag color="gold">建议对接</Tag>
            </Tooltip>
          );
        }
        return <Tag>未对接</Tag>;
      },
    },
  ];

  return (
    <>
      <Space wrap style={{ marginBottom: 12, justifyContent: 'space-between', width: '100%' }}>
        <Typography.Text>
          上级规划：{data.parentPlan.title}。已对接 {data.confirmed} 项，建议对接 {data.proposed} 项，未对接{' '}
          {data.unlinked} 项。
        </Typography.Text>
        {canEdit && (
          <Button
            loading={propose.isPending}
            onClick={() =>
              propose.mutate(undefined, {
                onSuccess: (d) => void message.success(`已生成对接建议：${d.proposed} 项待确认`),
                onError: (e) => void message.error(errorMessage(e)),
              })
            }
          >
            生成对接建议
          </Button>
        )}
      </Space>
      <Table<PlanLinkRow>
        rowKey="taskId"
        size="small"
        columns={columns}
        dataSource={data.tasks}
        loading={links.isFetching}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '本规划没有可对接的任务' }}
      />
    </>
  );
}
