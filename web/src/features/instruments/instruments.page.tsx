import {
  benchmarkLabel,
  INSTRUMENT_PURPOSE_LABELS,
  type InstrumentSummary,
  ITEM_KIND_LABELS,
  LITERACY_DIMENSION_LABELS,
  LITERACY_RULE_KIND_LABELS,
  type LiteracyRule,
} from '@kesu/shared';
import { Alert, Button, Card, Descriptions, Drawer, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage, formatDateTime } from '../../lib/format';
import { useInstrument, useInstrumentList } from './instruments.api';

/** The rule's settings in one line, so two instruments' rules can be told apart at a glance. */
export function describeRule(rule: LiteracyRule): string {
  switch (rule.kind) {
    case 'official-2021': {
      const p = rule.dimensionPoints;
      const t = rule.thresholds;
      return `知识/方法/精神/应用 ${p.knowledge}/${p.method}/${p.spirit}/${p.application} 分；≥${t.advanced} 高阶，≥${t.literate} 具备，≥${t.basic} 基本具备`;
    }
    case 'legacy-2010': {
      const s = rule.partMinShare;
      const pct = (x: number) => `${Math.round(x * 100)}%`;
      return `知识 ≥${pct(s.knowledge)}、方法 ≥${pct(s.method)}、精神 ≥${pct(s.spirit)}${rule.vetoEnabled ? '；迷信题答错即否决' : ''}`;
    }
    case 'benchmark-2016':
      return `每次抽 ${rule.itemCount} 题覆盖 26 条基准，每题 ${rule.pointsPerItem} 分，≥${rule.passScore} 分通过`;
  }
}

function InstrumentDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const q = useInstrument(id);
  const inst = q.data;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size="large"
      title={inst?.name ?? '问卷详情'}
      destroyOnHidden
    >
      {q.isError && <Alert type="error" showIcon title={errorMessage(q.error)} />}
      {inst && (
        <>
          <Descriptions column={1} size="small" bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label="评分规则">
              {inst.rule.name}（{LITERACY_RULE_KIND_LABELS[inst.rule.kind]}）
              <br />
              {describeRule(inst.rule)}
            </Descriptions.Item>
            <Descriptions.Item label="说明">{inst.description || '—'}</Descriptions.Item>
            <Descriptions.Item label="版本">
              第 {inst.version} 版，更新于 {formatDateTime(inst.updatedAt)}
            </Descriptions.Item>
          </Descriptions>
          <Table
            rowKey="id"
            size="small"
            scroll={{ x: 'max-content' }}
            pagination={{ pageSize: 20 }}
            dataSource={inst.items}
            columns={[
              { title: '题号', dataIndex: 'id', width: 80 },
              {
                title: '维度',
                dataIndex: 'dimension',
                width: 100,
                render: (d) => LITERACY_DIMENSION_LABELS[d as keyof typeof LITERACY_DIMENSION_LABELS],
              },
              {
                title: '题型',
                dataIndex: 'kind',
                width: 90,
                render: (k) => ITEM_KIND_LABELS[k as keyof typeof ITEM_KIND_LABELS],
              },
              {
                title: '题干 / 答案',
                dataIndex: 'stem',
                render: (_s, it) => (
                  <>
                    <div>{it.stem}</div>
                    <Typography.Text type="secondary">
                      答案：
                      {it.kind === 'true_false'
                        ? it.key
                            .map(
                              (k) => it.options.find((o) => o.key === k)?.text ?? (k === 'T' ? '对' : '错'),
                            )
                            .join('')
                        : it.key.join('')}
                      　分值：{it.points}
                    </Typography.Text>
                  </>
                ),
              },
              {
                title: '基准',
                dataIndex: 'benchmarks',
                width: 80,
                render: (bs: number[]) =>
                  bs.map((b) => (
                    <Tag key={b} title={benchmarkLabel(b)}>
                      {b}
                    </Tag>
                  )),
              },
            ]}
          />
        </>
      )}
    </Drawer>
  );
}

/** Analysts, admins and leaders: the questionnaires and self-test bank, each with the rule it scores by. */
export function InstrumentsPage() {
  const list = useInstrumentList();
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <Card title="问卷与自测题库">
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title="每份问卷按其评分规则评分，规则随每条结果保存；不同规则得出的比例不可相互比较。官方问卷的题目权重未公开，规则中的分值与分数线均可配置。"
      />
      {list.isError && (
        <Alert type="error" showIcon title={errorMessage(list.error)} style={{ marginBottom: 16 }} />
      )}
      <Table<InstrumentSummary>
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '暂无问卷' }}
        columns={[
          {
            title: '名称',
            dataIndex: 'name',
            render: (name, r) => (
              <>
                <Button
                  type="link"
                  style={{ padding: 0 }}
                  onClick={() => setOpenId(r.id)}
                  title={`代码：${r.code}`}
                >
                  {name}
                </Button>
              </>
            ),
          },
          {
            title: '用途',
            dataIndex: 'purpose',
            width: 100,
            render: (p: InstrumentSummary['purpose']) => INSTRUMENT_PURPOSE_LABELS[p],
          },
          {
            title: '评分规则',
            dataIndex: 'rule',
            render: (rule: LiteracyRule) => (
              <>
                <Tag color="blue">{rule.name}</Tag>
                <div>{describeRule(rule)}</div>
              </>
            ),
          },
          { title: '题数', dataIndex: 'itemCount', width: 70 },
          { title: '覆盖基准', dataIndex: 'benchmarksCovered', width: 90, render: (n: number) => `${n}/26` },
          {
            title: '自测人次',
            dataIndex: 'selfTestCount',
            width: 110,
            render: (n: number, r) =>
              r.purpose === 'self_test_bank' ? `${n}（通过 ${r.selfTestPassCount}）` : '—',
          },
          { title: '版本', dataIndex: 'version', width: 60 },
          {
            title: '状态',
            dataIndex: 'isActive',
            width: 70,
            render: (a: boolean) => (a ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>),
          },
        ]}
      />
      <InstrumentDrawer id={openId} onClose={() => setOpenId(null)} />
    </Card>
  );
}
