import { InboxOutlined } from '@ant-design/icons';
import {
  type DraftTask,
  LIMITS,
  normalizeUnitName,
  PLAN_DOCUMENT_FORMAT_LABELS,
  type PlanDraft,
  type PlanPreview,
  type ReviewLine,
  tasksWithoutUnits,
  UNIT_KIND_LABELS,
  UNIT_KINDS,
  type UnitKind,
  type UnitMapping,
  type UnitRef,
  UnitResolveResultSchema,
} from '@kesu/shared';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Collapse,
  Empty,
  Input,
  Radio,
  Row,
  Select,
  Space,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { UnitSelect } from '../units/unit-select';
import { errorMessage } from '../../lib/format';
import { DraftTaskModal } from './draft-task.modal';
import { formatTarget } from './plan-format';
import { uploadPlanDocument, useImportPlan } from './plans.api';
import { headingAnchor, SourceView } from './source-view';

/** The admin's answer for one unknown unit name. */
interface Answer {
  mode: 'map' | 'create';
  unitId: string | null;
  kind: UnitKind;
  name: string;
  shortName: string;
}

function answerOf(name: string): Answer {
  return { mode: 'map', unitId: null, kind: 'department', name, shortName: name };
}

/** Numbers as printed, joined along the heading chain: 三.(一).1. */
function draftNumbers(tasks: DraftTask[]): string[] {
  const stack: { depth: number; label: string }[] = [];
  return tasks.map((t) => {
    while (stack.length > 0 && (stack[stack.length - 1]?.depth ?? 0) >= t.depth) stack.pop();
    stack.push({ depth: t.depth, label: t.label.replace(/[、.．，,\s]+$/u, '') || t.label });
    return stack.map((s) => s.label).join('.');
  });
}

function UnknownUnits({
  names,
  answers,
  onChange,
}: {
  names: { name: string; paths: string[] }[];
  answers: Record<string, Answer>;
  onChange: (name: string, a: Answer) => void;
}) {
  return (
    <Card
      size="small"
      type="inner"
      title={
        <Typography.Text type="danger">
          有 {names.length} 个责任单位未能识别：请对应到已有单位或新建
        </Typography.Text>
      }
      style={{ marginBottom: 16 }}
      data-testid="unknown-units"
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        {names.map(({ name, paths }) => {
          const a = answers[name] ?? answerOf(name);
          return (
            <Row key={name} gutter={8} align="middle" data-unknown-unit={name}>
              <Col flex="180px">
                <Tag color="red">{name}</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  见 {paths.slice(0, 3).join('、')}
                  {paths.length > 3 ? ' 等' : ''}
                </Typography.Text>
              </Col>
              <Col>
                <Radio.Group
                  value={a.mode}
                  onChange={(e) => onChange(name, { ...a, mode: e.target.value })}
                  options={[
                    { value: 'map', label: '对应已有单位' },
                    { value: 'create', label: '新建单位' },
                  ]}
                />
              </Col>
              <Col flex="auto">
                {a.mode === 'map' ? (
                  <UnitSelect
                    id={`map-${name}`}
                    placeholder={`“${name}”是哪个单位？`}
                    value={a.unitId}
                    style={{ maxWidth: 360 }}
                    onChange={(unitId) => onChange(name, { ...a, unitId })}
                  />
                ) : (
                  <Space wrap>
                    <Select
                      aria-label="类别"
                      style={{ width: 120 }}
                      value={a.kind}
                      options={UNIT_KINDS.map((k) => ({ value: k, label: UNIT_KIND_LABELS[k] }))}
                      onChange={(kind: UnitKind) => onChange(name, { ...a, kind })}
                    />
                    <Input
                      aria-label="全称"
                      placeholder="全称"
                      style={{ width: 220 }}
                      value={a.name}
                      onChange={(e) => onChange(name, { ...a, name: e.target.value })}
                    />
                    <Input
                      aria-label="简称"
                      placeholder="简称"
                      style={{ width: 140 }}
                      value={a.shortName}
                      onChange={(e) => onChange(name, { ...a, shortName: e.target.value })}
                    />
                  </Space>
                )}
              </Col>
            </Row>
          );
        })}
      </Space>
    </Card>
  );
}

/** One line to check: the text, the task it stands under, and a button to correct that task in place. */
function CheckLine({
  text,
  where,
  onFix,
  fixLabel,
}: {
  text: string;
  where: string | null;
  onFix: (() => void) | null;
  fixLabel: string;
}) {
  return (
    <Row gutter={8} align="middle" wrap={false} style={{ padding: '2px 0' }}>
      <Col flex="auto" style={{ minWidth: 0 }}>
        <Typography.Text ellipsis={{ tooltip: text }} style={{ maxWidth: '100%' }}>
          {text}
        </Typography.Text>
      </Col>
      <Col flex="none">
        {where && (
          <Typography.Text type="secondary" style={{ fontSize: 12, marginRight: 8 }}>
            {where}
          </Typography.Text>
        )}
        {onFix && (
          <Button size="small" onClick={onFix}>
            {fixLabel}
          </Button>
        )}
      </Col>
    </Row>
  );
}

/**
 * "Confidence, not silence": what the admin should check before importing — tasks without units, names the
 * registry does not know, lines that look like headings but were not taken, sentences with figures that were not
 * taken as targets, and the parser's own warnings. Each item opens the task it belongs to for correction.
 */
function PlanChecks({
  draft,
  numbers,
  checks,
  unknownCount,
  onEdit,
}: {
  draft: PlanDraft;
  numbers: string[];
  checks: PlanPreview['checks'];
  unknownCount: number;
  onEdit: (index: number) => void;
}) {
  const indexOf = (path: string | null): number =>
    path === null ? -1 : draft.tasks.findIndex((t) => t.path === path);
  const where = (path: string | null): string | null => {
    const i = indexOf(path);
    return i < 0 ? null : `位于 ${numbers[i]}`;
  };
  const fix = (path: string | null): (() => void) | null => {
    const i = indexOf(path);
    return i < 0 ? null : () => onEdit(i);
  };
  const missing = tasksWithoutUnits(draft.tasks);
  const lines = (items: ReviewLine[], fixLabel: string) =>
    items.map((r, i) => (
      // biome-ignore lint/suspicious/noArrayIndexKey: the same text may be listed twice
      <CheckLine key={i} text={r.text} where={where(r.path)} onFix={fix(r.path)} fixLabel={fixLabel} />
    ));
  const panels = [
    {
      key: 'units',
      label: '未写责任单位的任务',
      count: missing.length,
      children: missing.map((path) => {
        const i = indexOf(path);
        const t = draft.tasks[i];
        return (
          <CheckLine
            key={path}
            text={`${numbers[i] ?? path} ${t?.title ?? ''}`}
            where={null}
            onFix={() => onEdit(i)}
            fixLabel="补充单位"
          />
        );
      }),
    },
    {
      key: 'headings',
      label: '像标题但未作为任务的段落',
      count: checks.headingLike.length,
      children: lines(checks.headingLike, '校正所在任务'),
    },
    {
      key: 'figures',
      label: '含数字但未作为目标的句子',
      count: checks.untakenFigures.length,
      children: lines(checks.untakenFigures, '补充目标'),
    },
    {
      key: 'warnings',
      label: '解析提示',
      count: draft.warnings.length,
      children: draft.warnings.map((w) => (
        <CheckLine key={w} text={w} where={null} onFix={null} fixLabel="" />
      )),
    },
  ].filter((p) => p.count > 0);
  const total = panels.reduce((n, p) => n + p.count, 0) + unknownCount;
  // Only unknown units: their own card below says it all.
  if (panels.length === 0 && unknownCount > 0) return null;
  if (total === 0) {
    return (
      <Alert
        type="success"
        showIcon
        title="未发现需要核对的内容：每个任务都有责任单位，所有单位均已识别"
        style={{ marginBottom: 16 }}
        data-testid="plan-checks"
      />
    );
  }
  return (
    <Card
      size="small"
      type="inner"
      title={`请核对（共 ${total} 项）：以下内容可能识别有误，可点击按钮直接校正`}
      style={{ marginBottom: 16 }}
      data-testid="plan-checks"
    >
      {unknownCount > 0 && (
        <Typography.Paragraph type="danger" style={{ marginBottom: 8 }}>
          有 {unknownCount} 个责任单位未能识别，请在下方对应到已有单位或新建。
        </Typography.Paragraph>
      )}
      <Collapse
        size="small"
        // Short lists open, long ones (a county's plan in a city's registry) folded until asked for.
        defaultActiveKey={panels.filter((p) => p.count <= 10).map((p) => p.key)}
        items={panels.map((p) => ({
          key: p.key,
          label: (
            <span data-check={p.key}>
              {p.label} <Badge count={p.count} color="orange" overflowCount={999} />
            </span>
          ),
          children: <div style={{ maxHeight: 240, overflowY: 'auto' }}>{p.children}</div>,
        }))}
      />
    </Card>
  );
}

/** /plans/import — upload a plan document, check and correct what was recognised, map unknown units, confirm. */
export function PlanImportPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { message } = App.useApp();
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [preview, setPreview] = useState<PlanPreview | null>(null);
  const [draft, setDraft] = useState<PlanDraft | null>(null);
  /** normalized name → registry unit (null = unknown). */
  const [matches, setMatches] = useState<Map<string, UnitRef | null>>(new Map());
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [target, setTarget] = useState<string>('new');
  const [note, setNote] = useState('');
  const [editing, setEditing] = useState<number | null>(null);
  const importPlan = useImportPlan();

  const onFile = async (file: File) => {
    setUploadError(null);
    if (file.size > LIMITS.uploadBytes) {
      setUploadError(`文件超过 ${LIMITS.uploadBytes / 1024 / 1024} MB 上限`);
      return;
    }
    setUploading(true);
    try {
      const p = await uploadPlanDocument(file);
      setPreview(p);
      setDraft(p.draft);
      setMatches(new Map(p.units.map((u) => [normalizeUnitName(u.name), u.unit])));
      setAnswers({});
      const wanted = params.get('planId');
      const candidate = p.candidates.find((c) => c.id === wanted) ?? p.candidates[0];
      setTarget(candidate ? candidate.id : 'new');
    } catch (e) {
      setUploadError(errorMessage(e));
    } finally {
      setUploading(false);
    }
  };

  /** Every unit name of the (corrected) draft that the registry does not know, with where it is named. */
  const unknown = useMemo(() => {
    const out = new Map<string, { name: string; paths: string[] }>();
    for (const t of draft?.tasks ?? []) {
      for (const u of t.units) {
        const key = normalizeUnitName(u.name);
        if (matches.get(key)) continue;
        const e = out.get(key) ?? { name: u.name, paths: [] };
        e.paths.push(t.path);
        out.set(key, e);
      }
    }
    return [...out.values()];
  }, [draft, matches]);
  const numbers = useMemo(() => draftNumbers(draft?.tasks ?? []), [draft]);
  const knownNames = useMemo(
    () => [...new Set([...matches.values()].filter((u): u is UnitRef => u !== null).map((u) => u.shortName))],
    [matches],
  );

  const unanswered = unknown.filter(({ name }) => {
    const a = answers[name];
    if (!a) return true;
    return a.mode === 'map' ? !a.unitId : !a.name.trim() || !a.shortName.trim();
  });

  // The same text as a plan's latest version, not corrected here: importing it would change nothing.
  const unchangedCopy = preview?.identicalTo != null && draft === preview.draft;

  const saveTask = async (index: number, task: DraftTask) => {
    if (!draft) return;
    setDraft({ ...draft, tasks: draft.tasks.map((t, i) => (i === index ? task : t)) });
    setEditing(null);
    // Names typed by hand are looked up in the registry, so only really unknown ones ask for an answer.
    const fresh = task.units.map((u) => u.name).filter((n) => !matches.has(normalizeUnitName(n)));
    if (fresh.length === 0) return;
    const found = await Promise.all(
      fresh.map((name) =>
        api
          .get('/api/v1/units/resolve', { query: { name }, schema: UnitResolveResultSchema })
          .then(
            (r) =>
              [
                normalizeUnitName(name),
                r.unit
                  ? { id: r.unit.id, name: r.unit.name, shortName: r.unit.shortName, kind: r.unit.kind }
                  : null,
              ] as const,
          )
          .catch(() => [normalizeUnitName(name), null] as const),
      ),
    );
    setMatches((m) => new Map([...m, ...found]));
  };

  const confirm = async () => {
    if (!draft || unanswered.length > 0) return;
    const unitMappings: UnitMapping[] = unknown.map(({ name }) => {
      const a = answers[name]!;
      return a.mode === 'map'
        ? { name, unitId: a.unitId, create: null }
        : {
            name,
            unitId: null,
            create: { kind: a.kind, name: a.name.trim(), shortName: a.shortName.trim() },
          };
    });
    try {
      const r = await importPlan.mutateAsync({
        draft,
        planId: target === 'new' ? null : target,
        unitMappings,
        note,
      });
      void message.success(`已导入《${r.plan.title}》第 ${r.version.number} 版`);
      navigate(`/plans/${r.plan.id}`);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  };

  const step = !preview ? 0 : unanswered.length > 0 ? 1 : 2;
  return (
    <Card title="导入规划文档">
      <Steps
        size="small"
        current={step}
        style={{ marginBottom: 16 }}
        items={[{ title: '上传文档' }, { title: '核对与校正' }, { title: '确认导入' }]}
      />
      {!preview && (
        <>
          <Upload.Dragger
            accept=".docx,.doc,.wps,.pdf,.html,.htm,.mhtml,.mht,.txt"
            multiple={false}
            showUploadList={false}
            disabled={uploading}
            beforeUpload={(file) => {
              void onFile(file);
              return false;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{uploading ? '正在解析…' : '点击或拖入规划文档'}</p>
            <p className="ant-upload-hint">
              支持 Word（.docx/.doc）、WPS、PDF、网页（另存为的 .html 或 .mhtml）和文本（.txt，UTF-8 或 GBK
              编码），最大 {LIMITS.uploadBytes / 1024 / 1024} MB。扫描版 PDF 请先用 OCR 软件转成文字版。
            </p>
          </Upload.Dragger>
          {uploadError && (
            <Alert
              type="error"
              showIcon
              title={uploadError}
              style={{ marginTop: 16 }}
              data-testid="upload-error"
            />
          )}
        </>
      )}
      {preview && draft && (
        <>
          <Space direction="vertical" style={{ width: '100%', marginBottom: 16 }}>
            {unchangedCopy && preview.identicalTo && (
              <Alert
                type="error"
                showIcon
                title={`与《${preview.identicalTo.planTitle}》第 ${preview.identicalTo.versionNumber} 版的内容完全相同，无需重复导入`}
                description="如需修订，请上传修改后的文档，或先在下方校正识别结果。"
              />
            )}
            <Typography.Text>
              《{draft.title ?? draft.fileName ?? '未命名'}》{draft.docNumber ?? ''} {draft.date ?? ''}
              ：识别出 {draft.tasks.length} 个标题、{draft.tasks.reduce((n, t) => n + t.targets.length, 0)}{' '}
              个目标
              <Typography.Text type="secondary">
                （{PLAN_DOCUMENT_FORMAT_LABELS[preview.format]}
                {preview.format === 'text' ? `，编码 ${preview.encoding.toUpperCase()}` : ''}）
              </Typography.Text>
            </Typography.Text>
            <Space wrap>
              <span>导入为：</span>
              <Select
                aria-label="导入为"
                style={{ width: 420 }}
                value={target}
                onChange={setTarget}
                options={[
                  { value: 'new', label: '新规划' },
                  ...preview.candidates.map((c) => ({
                    value: c.id,
                    label: `《${c.title}》的第 ${c.latestVersionNumber + 1} 版（修订）`,
                  })),
                ]}
              />
              <Input
                aria-label="版本说明"
                placeholder="版本说明（可选）"
                style={{ width: 260 }}
                value={note}
                maxLength={500}
                onChange={(e) => setNote(e.target.value)}
              />
            </Space>
          </Space>
          <PlanChecks
            draft={draft}
            numbers={numbers}
            checks={preview.checks}
            unknownCount={unknown.length}
            onEdit={setEditing}
          />
          {unknown.length > 0 && (
            <UnknownUnits
              names={unknown}
              answers={answers}
              onChange={(name, a) => setAnswers((x) => ({ ...x, [name]: a }))}
            />
          )}
          <Row gutter={16}>
            <Col xs={24} xl={10}>
              <SourceView sourceText={draft.sourceText} tasks={draft.tasks} />
            </Col>
            <Col xs={24} xl={14}>
              <Table<DraftTask & { index: number }>
                rowKey="index"
                size="small"
                data-testid="draft-tree"
                dataSource={draft.tasks.map((t, index) => ({ ...t, index }))}
                locale={{ emptyText: <Empty description="没有识别出任务" /> }}
                pagination={draft.tasks.length > 100 ? { pageSize: 100, showSizeChanger: false } : false}
                scroll={{ y: '70vh', x: 'max-content' }}
                columns={[
                  {
                    title: '编号',
                    key: 'n',
                    width: 90,
                    render: (_, t) => (
                      <Button
                        type="link"
                        size="small"
                        title="在原文中定位"
                        onClick={() =>
                          document.getElementById(headingAnchor(t.index))?.scrollIntoView({ block: 'center' })
                        }
                      >
                        {numbers[t.index]}
                      </Button>
                    ),
                  },
                  {
                    title: '标题',
                    key: 'title',
                    render: (_, t) => (
                      <div style={{ paddingLeft: (t.depth - 1) * 12 }}>
                        <Typography.Text
                          editable={{
                            tooltip: '修改标题',
                            onChange: (title) =>
                              title.trim() &&
                              setDraft((d) =>
                                d
                                  ? {
                                      ...d,
                                      tasks: d.tasks.map((x, i) =>
                                        i === t.index ? { ...x, title: title.trim() } : x,
                                      ),
                                    }
                                  : d,
                              ),
                          }}
                        >
                          {t.title}
                        </Typography.Text>
                      </div>
                    ),
                  },
                  {
                    title: '责任单位',
                    key: 'units',
                    width: 260,
                    render: (_, t) =>
                      t.units.length === 0 ? (
                        <span aria-hidden>—</span>
                      ) : (
                        <Space size={[0, 4]} wrap>
                          {t.units.map((u) => {
                            const unit = matches.get(normalizeUnitName(u.name));
                            return (
                              <Tag
                                key={u.name}
                                color={unit ? (u.role === 'lead' ? 'gold' : undefined) : 'red'}
                                title={unit ? unit.name : '未识别'}
                              >
                                {u.name}
                                {u.role === 'lead' ? '（牵头）' : ''}
                              </Tag>
                            );
                          })}
                        </Space>
                      ),
                  },
                  {
                    title: '目标',
                    key: 'targets',
                    width: 240,
                    render: (_, t) =>
                      t.targets.length === 0 ? (
                        <span aria-hidden>—</span>
                      ) : (
                        <Space direction="vertical" size={0}>
                          {t.targets.map((g, i) => (
                            // biome-ignore lint/suspicious/noArrayIndexKey: targets have no identity before import
                            <Typography.Text key={i} title={g.text} data-testid="draft-target">
                              {formatTarget(g)}
                            </Typography.Text>
                          ))}
                        </Space>
                      ),
                  },
                  {
                    title: '',
                    key: 'edit',
                    width: 70,
                    render: (_, t) => (
                      <Button
                        size="small"
                        onClick={() => setEditing(t.index)}
                        aria-label={`校正 ${numbers[t.index]}`}
                      >
                        校正
                      </Button>
                    ),
                  },
                ]}
              />
            </Col>
          </Row>
          <Space style={{ marginTop: 16 }} wrap>
            <Button
              type="primary"
              size="large"
              disabled={unanswered.length > 0 || unchangedCopy}
              loading={importPlan.isPending}
              onClick={() => void confirm()}
            >
              确认导入
            </Button>
            <Button
              size="large"
              onClick={() => {
                setPreview(null);
                setDraft(null);
              }}
            >
              重新选择文件
            </Button>
            {unanswered.length > 0 && (
              <Typography.Text type="danger">还有 {unanswered.length} 个未识别的单位需要处理</Typography.Text>
            )}
          </Space>
          <DraftTaskModal
            task={editing === null ? null : (draft.tasks[editing] ?? null)}
            knownNames={knownNames}
            onClose={() => setEditing(null)}
            onSave={(task) => editing !== null && void saveTask(editing, task)}
          />
        </>
      )}
    </Card>
  );
}
