import { FUNDING_SOURCES, type FundingRowInput, type FundingSource, type FundingSummary } from '@kesu/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { useJurisdictions } from '../jurisdictions/jurisdictions.api';
import { fundingExportUrl, useFunding, useSaveFunding, useSetFundingStandard, yuan } from './funding.api';
import { FileExportButtons } from '../../components/export-buttons';

interface Draft {
  budgeted: number | null;
  spent: number | null;
  note: string;
  version?: number;
}

const thisYear = () =>
  Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

/** 科普经费: a level's budget and spending by source for a year, each child's per resident against the standard. */
export function FundingPage() {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const jurisdictions = useJurisdictions();
  const [year, setYear] = useState(thisYear());
  const [jurisdictionId, setJurisdictionId] = useState<string | null>(me.jurisdictionId);
  useEffect(() => {
    if (!jurisdictionId && jurisdictions.data?.items[0]) setJurisdictionId(jurisdictions.data.items[0].id);
  }, [jurisdictionId, jurisdictions.data]);
  const q = useFunding(jurisdictionId, year);
  const save = useSaveFunding();
  const setStandard = useSetFundingStandard();
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [standard, setStandardValue] = useState<number | null>(null);

  useEffect(() => {
    const next: Record<string, Draft> = {};
    for (const s of FUNDING_SOURCES) {
      const r = q.data?.rows.find((x) => x.source === s);
      next[s] = r
        ? { budgeted: r.budgeted, spent: r.spent, note: r.note ?? '', version: r.version }
        : { budgeted: null, spent: null, note: '' };
    }
    setDrafts(next);
    setStandardValue(q.data?.ownStandard ?? null);
  }, [q.data]);

  const years = useMemo(() => Array.from({ length: 6 }, (_, k) => thisYear() + 1 - k), []);
  const v = q.data;
  const canEdit = v?.canEdit ?? false;

  const onSave = () => {
    if (!v) return;
    const rows: FundingRowInput[] = [];
    for (const s of FUNDING_SOURCES) {
      const d = drafts[s];
      if (!d || (d.budgeted === null && d.version === undefined)) continue;
      rows.push({
        source: s as FundingSource,
        budgeted: d.budgeted ?? 0,
        spent: d.spent,
        note: d.note.trim() || null,
        ...(d.version !== undefined ? { version: d.version } : {}),
      });
    }
    if (rows.length === 0) {
      message.warning('请至少填写一项经费的预算金额');
      return;
    }
    save.mutate(
      { jurisdictionId: v.jurisdictionId, year, rows },
      { onSuccess: () => message.success('已保存'), onError: (e) => message.error(errorMessage(e)) },
    );
  };

  const sourceRows = FUNDING_SOURCES.map((s) => ({ source: s }));
  const summaryColumns = [
    { title: '行政区划', dataIndex: 'name', key: 'name' },
    {
      title: '预算（元）',
      key: 'b',
      align: 'right' as const,
      render: (_: unknown, r: FundingSummary) => yuan(r.budgeted),
    },
    {
      title: '支出（元）',
      key: 's',
      align: 'right' as const,
      render: (_: unknown, r: FundingSummary) => yuan(r.spent),
    },
    {
      title: '常住人口（人）',
      key: 'p',
      align: 'right' as const,
      render: (_: unknown, r: FundingSummary) =>
        r.residents === null
          ? '—'
          : `${r.residents.toLocaleString('zh-CN')}${r.residentsYear !== year ? `（${r.residentsYear}年）` : ''}`,
    },
    {
      title: '人均（元/人）',
      key: 'pr',
      align: 'right' as const,
      render: (_: unknown, r: FundingSummary) =>
        r.perResident === null ? (
          <Typography.Text type="warning">{r.missing ?? '—'}</Typography.Text>
        ) : (
          r.perResident.toFixed(2)
        ),
    },
    {
      title: '标准（元/人）',
      key: 'st',
      align: 'right' as const,
      render: (_: unknown, r: FundingSummary) => (r.standard === null ? '未设置' : r.standard.toFixed(2)),
    },
    {
      title: '是否达标',
      key: 'm',
      render: (_: unknown, r: FundingSummary) =>
        r.meetsStandard === null ? (
          '—'
        ) : (
          <Tag color={r.meetsStandard ? 'green' : 'red'}>{r.meetsStandard ? '达标' : '未达标'}</Tag>
        ),
    },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          科普经费
        </Typography.Title>
        <Space wrap>
          <Select
            aria-label="行政区划"
            style={{ minWidth: 160 }}
            value={jurisdictionId ?? undefined}
            onChange={setJurisdictionId}
            options={(jurisdictions.data?.items ?? []).map((j) => ({ value: j.id, label: j.name }))}
          />
          <Select
            aria-label="年度"
            value={year}
            onChange={setYear}
            options={years.map((y) => ({ value: y, label: `${y}年` }))}
          />
          {v && <FileExportButtons urlOf={(f) => fundingExportUrl(v.jurisdictionId, year, f)} />}
        </Space>
      </Space>
      {q.isError && <Alert type="error" showIcon message={errorMessage(q.error)} />}
      {v && (
        <>
          <Card
            size="small"
            title={`${v.jurisdictionName}${year}年经费（按来源，单位：元）`}
            extra={
              canEdit ? (
                <Button type="primary" onClick={onSave} loading={save.isPending}>
                  保存
                </Button>
              ) : (
                <Typography.Text type="secondary">由本级管理员填报</Typography.Text>
              )
            }
          >
            <Table
              size="small"
              rowKey="source"
              pagination={false}
              dataSource={sourceRows}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: '来源', dataIndex: 'source', key: 'source', width: 140 },
                {
                  title: '预算（元）',
                  key: 'b',
                  render: (_: unknown, r: { source: string }) => (
                    <InputNumber
                      aria-label={`${r.source}预算`}
                      disabled={!canEdit}
                      min={0}
                      precision={2}
                      style={{ width: 160 }}
                      value={drafts[r.source]?.budgeted ?? null}
                      onChange={(x) =>
                        setDrafts((d) => ({ ...d, [r.source]: { ...d[r.source]!, budgeted: x } }))
                      }
                    />
                  ),
                },
                {
                  title: '支出（元）',
                  key: 's',
                  render: (_: unknown, r: { source: string }) => (
                    <InputNumber
                      aria-label={`${r.source}支出`}
                      disabled={!canEdit}
                      min={0}
                      precision={2}
                      style={{ width: 160 }}
                      value={drafts[r.source]?.spent ?? null}
                      onChange={(x) =>
                        setDrafts((d) => ({ ...d, [r.source]: { ...d[r.source]!, spent: x } }))
                      }
                    />
                  ),
                },
                {
                  title: '备注',
                  key: 'n',
                  render: (_: unknown, r: { source: string }) => (
                    <Input
                      aria-label={`${r.source}备注`}
                      disabled={!canEdit}
                      maxLength={200}
                      style={{ width: 220 }}
                      value={drafts[r.source]?.note ?? ''}
                      onChange={(e) =>
                        setDrafts((d) => ({ ...d, [r.source]: { ...d[r.source]!, note: e.target.value } }))
                      }
                    />
                  ),
                },
              ]}
            />
          </Card>
          <Card
            size="small"
            title="人均科普经费与标准"
            extra={
              v.canSetStandard && (
                <Space wrap>
                  <span>本级{year}年标准</span>
                  <InputNumber
                    aria-label="人均经费标准"
                    min={0}
                    precision={2}
                    addonAfter="元/人"
                    style={{ width: 160 }}
                    value={standard}
                    onChange={setStandardValue}
                  />
                  <Button
                    loading={setStandard.isPending}
                    disabled={standard === null}
                    onClick={() =>
                      standard !== null &&
                      setStandard.mutate(
                        { jurisdictionId: v.jurisdictionId, year, perResident: standard },
                        {
                          onSuccess: () => message.success('标准已设置'),
                          onError: (e) => message.error(errorMessage(e)),
                        },
                      )
                    }
                  >
                    设置标准
                  </Button>
                </Space>
              )
            }
          >
            <Table
              size="small"
              rowKey="jurisdictionId"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={[v.own, ...v.children]}
              columns={summaryColumns}
              locale={{ emptyText: <Empty description="暂无经费数据" /> }}
            />
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
              人均经费 = 当年各来源预算合计 ÷
              常住人口；没有常住人口数据的不计算人均，显示“缺少常住人口数据”。标准未在本级设置时沿用上级的标准。
            </Typography.Paragraph>
          </Card>
        </>
      )}
    </Space>
  );
}
