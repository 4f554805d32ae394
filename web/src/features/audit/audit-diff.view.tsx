import { Button, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { type DiffKind, type DiffRow, diffSnapshots } from './audit-diff';
import { FIELD_LABELS } from './audit-labels';

const KIND_TAGS: Record<DiffKind, { color?: string; text: string }> = {
  added: { color: 'green', text: '新增' },
  removed: { color: 'red', text: '移除' },
  changed: { color: 'orange', text: '修改' },
  unchanged: { text: '未变' },
};

const ROW_BACKGROUND: Record<DiffKind, string | undefined> = {
  added: '#f6ffed',
  removed: '#fff1f0',
  changed: '#fffbe6',
  unchanged: undefined,
};

function Value({ value }: { value: unknown }) {
  if (value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  if (value === null) return <Typography.Text type="secondary">（空）</Typography.Text>;
  if (typeof value === 'string') return <span style={{ wordBreak: 'break-all' }}>{value}</span>;
  if (typeof value === 'boolean') return <span>{value ? '是' : '否'}</span>;
  return (
    <Typography.Text code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
      {JSON.stringify(value)}
    </Typography.Text>
  );
}

/** Before/after of one audit entry, changed fields highlighted; unchanged fields folded away. */
export function AuditDiffView({ before, after }: { before: unknown; after: unknown }) {
  const [showAll, setShowAll] = useState(false);
  const rows = diffSnapshots(before, after);
  const unchanged = rows.filter((r) => r.kind === 'unchanged').length;
  const visible = showAll ? rows : rows.filter((r) => r.kind !== 'unchanged');
  if (rows.length === 0) return <Typography.Text type="secondary">无变更内容</Typography.Text>;
  return (
    <div>
      <Table<DiffRow>
        size="small"
        rowKey="field"
        pagination={false}
        dataSource={visible}
        onRow={(r) => ({ 'data-diff': r.kind, style: { background: ROW_BACKGROUND[r.kind] } }) as never}
        locale={{ emptyText: '没有字段发生变化' }}
        columns={[
          {
            title: '字段',
            dataIndex: 'field',
            width: 180,
            render: (f: string) => (
              <span>
                {FIELD_LABELS[f] ?? f}
                {FIELD_LABELS[f] && (
                  <Typography.Text type="secondary" style={{ marginLeft: 4, fontSize: 12 }}>
                    {f}
                  </Typography.Text>
                )}
              </span>
            ),
          },
          {
            title: '变更',
            dataIndex: 'kind',
            width: 70,
            render: (k: DiffKind) => <Tag color={KIND_TAGS[k].color}>{KIND_TAGS[k].text}</Tag>,
          },
          { title: '修改前', dataIndex: 'before', render: (v: unknown) => <Value value={v} /> },
          { title: '修改后', dataIndex: 'after', render: (v: unknown) => <Value value={v} /> },
        ]}
      />
      {unchanged > 0 && (
        <Button type="link" size="small" onClick={() => setShowAll((s) => !s)}>
          {showAll ? '隐藏未变化的字段' : `显示未变化的字段（${unchanged}）`}
        </Button>
      )}
    </div>
  );
}
