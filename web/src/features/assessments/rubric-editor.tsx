import {
  ASSESSMENT_BONUS_SOURCE_LABELS,
  ASSESSMENT_BONUS_SOURCES,
  ASSESSMENT_DEDUCTION_EVENT_LABELS,
  ASSESSMENT_DEDUCTION_EVENTS,
  ASSESSMENT_RULE_KINDS,
  ASSESSMENT_RULE_LABELS,
  type AssessmentItemInput,
  AssessmentItemInputSchema,
  type AssessmentRuleKind,
  RESOURCE_KIND_LABELS,
  RESOURCE_KINDS,
  RESOURCE_LEVELS,
} from '@kesu/shared';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Empty,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useCurrentUser } from '../auth/require-auth';
import { usePlanList } from '../plans/plans.api';
import { useIndicatorStatus } from '../reporting/reporting.api';

/** A rule kind's starting parameters. */
function defaultRule(kind: AssessmentRuleKind): AssessmentItemInput['rule'] {
  switch (kind) {
    case 'evidence':
      return { kind };
    case 'indicator_threshold':
      return { kind, indicatorId: '', threshold: 80, partial: false } as AssessmentItemInput['rule'];
    case 'proportional':
      return { kind };
    case 'deduction':
      return { kind, events: ['late_report', 'returned_report'], perEvent: 1 };
    case 'bonus':
      return { kind, source: 'registry', registryKind: 'science_base', levels: ['省级'], perRecord: 1 };
    case 'veto':
      return { kind, condition: 'red_notice_open' };
  }
}

/** The indicators of the admin's own plan (the level's plan), for a threshold rule. */
function useOwnIndicators() {
  const me = useCurrentUser();
  const plans = usePlanList(1, 100);
  const plan = plans.data?.items.find((p) => p.jurisdictionId === me.jurisdictionId) ?? null;
  const status = useIndicatorStatus(plan?.id ?? null, null);
  return (status.data?.indicators ?? []).map((i) => ({
    value: i.indicatorId,
    label: `${i.taskPath} ${i.text}`,
  }));
}

function RuleForm({
  item,
  onChange,
  indicators,
}: {
  item: AssessmentItemInput;
  onChange: (rule: AssessmentItemInput['rule']) => void;
  indicators: { value: string; label: string }[];
}) {
  const r = item.rule;
  switch (r.kind) {
    case 'evidence':
      return (
        <Typography.Text type="secondary">被考核对象或管理员上传佐证，管理员认定是否完成。</Typography.Text>
      );
    case 'proportional':
      return (
        <Typography.Text type="secondary">
          得分 = 分值 × 完成度（县区按其实施方案，单位按其牵头任务）。
        </Typography.Text>
      );
    case 'indicator_threshold':
      return (
        <Space wrap>
          <Select
            aria-label="指标"
            placeholder="选择本级规划的指标"
            style={{ width: 360, maxWidth: '100%' }}
            showSearch
            optionFilterProp="label"
            value={r.indicatorId || undefined}
            options={indicators}
            onChange={(v) => onChange({ ...r, indicatorId: v })}
          />
          <span>达标线</span>
          <InputNumber
            aria-label="达标线（%）"
            min={1}
            max={100}
            value={r.threshold}
            addonAfter="%"
            onChange={(v) => onChange({ ...r, threshold: v ?? 80 })}
          />
          <Checkbox checked={r.partial} onChange={(e) => onChange({ ...r, partial: e.target.checked })}>
            未达按比例计分
          </Checkbox>
        </Space>
      );
    case 'deduction':
      return (
        <Space wrap>
          <Checkbox.Group
            value={r.events}
            options={ASSESSMENT_DEDUCTION_EVENTS.map((e) => ({
              value: e,
              label: ASSESSMENT_DEDUCTION_EVENT_LABELS[e],
            }))}
            onChange={(v) => onChange({ ...r, events: v as typeof r.events })}
          />
          <span>每次扣</span>
          <InputNumber
            aria-label="每次扣分"
            min={0.1}
            step={0.5}
            value={r.perEvent}
            onChange={(v) => onChange({ ...r, perEvent: v ?? 1 })}
          />
          <span>分</span>
        </Space>
      );
    case 'bonus':
      return (
        <Space wrap>
          <Select
            aria-label="加分来源"
            style={{ width: 170 }}
            value={r.source}
            options={ASSESSMENT_BONUS_SOURCES.map((s) => ({
              value: s,
              label: ASSESSMENT_BONUS_SOURCE_LABELS[s],
            }))}
            onChange={(source) =>
              onChange(
                source === 'registry'
                  ? { kind: 'bonus', source, registryKind: 'science_base', levels: ['省级'], perRecord: 1 }
                  : source === 'coverage'
                    ? { kind: 'bonus', source, threshold: 80 }
                    : source === 'funding'
                      ? { kind: 'bonus', source, threshold: 1.5 }
                      : { kind: 'bonus', source },
              )
            }
          />
          {r.source === 'registry' && (
            <>
              <Select
                aria-label="资源类别"
                style={{ width: 190 }}
                value={r.registryKind}
                options={RESOURCE_KINDS.map((k) => ({ value: k, label: RESOURCE_KIND_LABELS[k] }))}
                onChange={(registryKind) => onChange({ ...r, registryKind })}
              />
              <Select
                aria-label="级别"
                mode="multiple"
                style={{ minWidth: 140 }}
                placeholder="全部级别"
                value={r.levels ?? []}
                options={RESOURCE_LEVELS.map((l) => ({ value: l, label: l }))}
                onChange={(levels) => onChange({ ...r, levels })}
              />
              <span>每个加</span>
              <InputNumber
                aria-label="每个加分"
                min={0.1}
                step={0.5}
                value={r.perRecord}
                onChange={(v) => onChange({ ...r, perRecord: v ?? 1 })}
              />
              <span>分</span>
            </>
          )}
          {(r.source === 'coverage' || r.source === 'funding') && (
            <>
              <span>达到</span>
              <InputNumber
                aria-label="达标线"
                min={0}
                value={r.threshold}
                addonAfter={r.source === 'coverage' ? '%' : '元/人'}
                onChange={(v) => onChange({ ...r, threshold: v ?? 0 })}
              />
              <span>加满分</span>
            </>
          )}
        </Space>
      );
    case 'veto':
      return (
        <Select
          aria-label="否决条件"
          style={{ width: 260 }}
          value={r.condition}
          options={[
            { value: 'red_notice_open', label: '红色督办年底未销号' },
            { value: 'manual', label: '管理员认定（须填写理由）' },
          ]}
          onChange={(condition) => onChange({ ...r, condition })}
        />
      );
  }
}

/**
 * Edit a draft rubric's title and items; each item's rule form fits its kind. Checked with the shared schema. State
 * starts from the props: the parent remounts it (a `key`) to start again.
 */
export function RubricEditor({
  open,
  title: initialTitle,
  items: initialItems,
  saving,
  onCancel,
  onSave,
  heading,
  extra,
}: {
  open: boolean;
  title: string;
  items: AssessmentItemInput[];
  saving: boolean;
  onCancel: () => void;
  onSave: (title: string, items: AssessmentItemInput[]) => void;
  heading: string;
  extra?: React.ReactNode;
}) {
  const [title, setTitle] = useState(initialTitle);
  const [items, setItems] = useState<AssessmentItemInput[]>(initialItems);
  // A stable key per item card (items have no id until saved).
  const [keys, setKeys] = useState<number[]>(() => initialItems.map((_, n) => n));
  const [error, setError] = useState<string | null>(null);
  const indicators = useOwnIndicators();
  const total = useMemo(
    () =>
      items
        .filter((i) => ['evidence', 'indicator_threshold', 'proportional'].includes(i.rule.kind))
        .reduce((s, i) => s + (i.points || 0), 0),
    [items],
  );
  const set = (n: number, patch: Partial<AssessmentItemInput>) =>
    setItems((xs) => xs.map((x, k) => (k === n ? { ...x, ...patch } : x)));
  const save = () => {
    if (!title.trim()) return setError('请填写考核名称');
    for (const [n, i] of items.entries()) {
      const ok = AssessmentItemInputSchema.safeParse(i);
      if (!ok.success) return setError(`第 ${n + 1} 项：${ok.error.issues[0]?.message ?? '填写有误'}`);
      if (i.rule.kind === 'indicator_threshold' && !i.rule.indicatorId)
        return setError(`第 ${n + 1} 项：请选择指标`);
    }
    setError(null);
    onSave(title.trim(), items);
  };
  return (
    <Modal
      open={open}
      title={heading}
      width={920}
      onCancel={onCancel}
      onOk={save}
      okText="保存"
      cancelText="取消"
      confirmLoading={saving}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        {extra}
        <Input
          aria-label="考核名称"
          placeholder="考核名称"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
        <Typography.Text type="secondary">基本分合计 {total} 分（不含加分、扣分和否决项）</Typography.Text>
        {items.length === 0 && <Empty description="还没有考核项目" />}
        {items.map((it, n) => (
          <Card
            key={keys[n]}
            size="small"
            title={`第 ${n + 1} 项`}
            extra={
              <Button
                type="link"
                danger
                onClick={() => {
                  setItems((xs) => xs.filter((_, k) => k !== n));
                  setKeys((ks) => ks.filter((_, k) => k !== n));
                }}
              >
                删除
              </Button>
            }
          >
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Space wrap>
                <Input
                  aria-label="考核项目"
                  placeholder="考核项目"
                  style={{ width: 260 }}
                  value={it.title}
                  onChange={(e) => set(n, { title: e.target.value })}
                />
                <Select
                  aria-label="计分规则"
                  style={{ width: 190 }}
                  value={it.rule.kind}
                  options={ASSESSMENT_RULE_KINDS.map((k) => ({ value: k, label: ASSESSMENT_RULE_LABELS[k] }))}
                  onChange={(k) => set(n, { rule: defaultRule(k), ...(k === 'veto' ? { points: 0 } : {}) })}
                />
                {it.rule.kind !== 'veto' && (
                  <InputNumber
                    aria-label="分值"
                    min={0}
                    step={1}
                    value={it.points}
                    addonAfter="分"
                    onChange={(v) => set(n, { points: v ?? 0 })}
                  />
                )}
              </Space>
              <RuleForm item={it} indicators={indicators} onChange={(rule) => set(n, { rule })} />
            </Space>
          </Card>
        ))}
        <Button
          onClick={() => {
            setItems((xs) => [...xs, { title: '', points: 10, rule: { kind: 'evidence' } }]);
            setKeys((ks) => [...ks, Math.max(-1, ...ks) + 1]);
          }}
        >
          添加考核项目
        </Button>
        {error && <Alert type="error" showIcon title={error} />}
      </Space>
    </Modal>
  );
}
