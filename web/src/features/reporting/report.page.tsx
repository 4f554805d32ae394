import {
  COMPARATOR_LABELS,
  type Comparator,
  REPORT_ATTACHMENT_ACCEPT,
  REPORT_ATTACHMENT_MAX_BYTES,
  REPORT_STATE_LABELS,
  type ReportDetail,
  type ReportValueInput,
  TASK_PROGRESS,
  TASK_PROGRESS_LABELS,
  type TaskProgress,
  type ValueCheck,
} from '@kesu/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Progress,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { errorMessage, formatDateTime } from '../../lib/format';
import {
  evaluateValues,
  uploadAttachment,
  useDeleteAttachment,
  useReport,
  useReportAction,
  useReportCountySummary,
  useSaveReport,
} from './reporting.api';
import { LIGHT_COLORS, LIGHT_LABELS, STATE_COLORS } from './reporting.labels';

/** One editable value: an indicator, and a county when the indicator is reported by county. */
interface Row {
  key: string;
  indicatorId: string;
  countyId: string | null;
  label: string;
  value: number | null;
  note: string;
  isPrefilled: boolean;
}

const keyOf = (indicatorId: string, countyId: string | null) => `${indicatorId}|${countyId ?? ''}`;

function rowsOf(report: ReportDetail): Row[] {
  const stored = new Map(report.values.map((v) => [keyOf(v.indicatorId, v.countyId), v]));
  return report.indicators
    .filter((i) => i.isReported)
    .flatMap((i) =>
      i.breakdownByCounty
        ? i.counties.map((c) => ({ i, c: c as { id: string; name: string } | null }))
        : [{ i, c: null as { id: string; name: string } | null }],
    )
    .map(({ i, c }) => {
      const v = stored.get(keyOf(i.id, c?.id ?? null));
      return {
        key: keyOf(i.id, c?.id ?? null),
        indicatorId: i.id,
        countyId: c?.id ?? null,
        label: c ? c.name : report.totalLabel,
        value: v?.value ?? null,
        note: v?.note ?? '',
        isPrefilled: v?.isPrefilled ?? false,
      };
    });
}

const toInput = (rows: Row[]): ReportValueInput[] =>
  rows.map((r) => ({ indicatorId: r.indicatorId, countyId: r.countyId, value: r.value, note: r.note }));

/** /reporting/reports/:id — the unit fills its report; the admin reviews it. */
export function ReportPage() {
  const { id = '' } = useParams();
  const report = useReport(id);
  if (report.isError) return <Alert type="error" showIcon title={errorMessage(report.error)} />;
  if (!report.data) return <Spin />;
  return <ReportView key={`${report.data.id}:${report.data.version}`} report={report.data} />;
}

export function ReportView({ report }: { report: ReportDetail }) {
  const { message } = App.useApp();
  const [progress, setProgress] = useState<TaskProgress>(report.progress);
  const [narrative, setNarrative] = useState(report.narrative);
  const [rows, setRows] = useState<Row[]>(() => rowsOf(report));
  const [checks, setChecks] = useState<ValueCheck[]>(report.checks);
  const [error, setError] = useState<string | null>(null);
  const save = useSaveReport(report.id);
  const action = useReportAction(report.id);
  const editable = report.can.edit;

  // Judge values as they are typed (debounced): the explanation field appears as soon as a value is behind.
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const valuesKey = rows.map((r) => `${r.key}=${r.value}`).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-evaluate only when the numbers change
  useEffect(() => {
    if (!editable) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      evaluateValues(report.id, toInput(rows))
        .then((r) => setChecks(r.checks))
        .catch(() => undefined);
    }, 400);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [valuesKey, editable, report.id]);

  const checkOf = useMemo(() => new Map(checks.map((c) => [keyOf(c.indicatorId, c.countyId), c])), [checks]);
  // A missing explanation is shown in red only once the value was changed or a submit was tried: the form opens
  // without errors.
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [triedSubmit, setTriedSubmit] = useState(false);
  const setRow = (key: string, patch: Partial<Row>) => {
    if (patch.value !== undefined) setTouched((t) => new Set(t).add(key));
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  };
  /** One explanation for several indicators of the task: copy it to every one still without a note. */
  const copyNote = (from: Row) =>
    setRows((rs) =>
      rs.map((r) =>
        r.key !== from.key && r.note.trim() === '' && checkOf.get(r.key)?.explanationRequired
          ? { ...r, note: from.note }
          : r,
      ),
    );

  const missing = rows.filter((r) => checkOf.get(r.key)?.explanationRequired && r.note.trim() === '');

  const onSave = async () => {
    setError(null);
    try {
      await save.mutateAsync({ progress, narrative, values: toInput(rows), version: report.version });
      message.success('草稿已保存');
    } catch (e) {
      setError(
        isApiError(e) && e.code === 'CONFLICT'
          ? '报告已被他人修改：请刷新页面后再改（你的输入未保存）'
          : errorMessage(e),
      );
    }
  };

  const onSubmit = () => {
    setTriedSubmit(true);
    if (missing.length > 0) {
      setError(`有 ${missing.length} 项指标落后或低于上次审核值，请先填写说明`);
      return;
    }
    Modal.confirm({
      title: '提交审核？',
      content: '提交后在审核完成或被退回前不能修改。',
      okText: '保存并提交',
      cancelText: '取消',
      onOk: async () => {
        setError(null);
        try {
          const saved = await save.mutateAsync({
            progress,
            narrative,
            values: toInput(rows),
            version: report.version,
          });
          await action.mutateAsync({ action: 'submit', version: saved.version });
          message.success('已提交审核');
        } catch (e) {
          setError(errorMessage(e));
        }
      },
    });
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space wrap>
            <span>
              {report.taskPath} {report.taskTitle}
            </span>
            <Tag color={STATE_COLORS[report.state]}>{REPORT_STATE_LABELS[report.state]}</Tag>
          </Space>
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label="单位">{report.unitName}</Descriptions.Item>
          <Descriptions.Item label="周期">
            {report.cycle.name}（{report.cycle.periodStart} 至 {report.cycle.periodEnd}）
          </Descriptions.Item>
          <Descriptions.Item label="截止">
            {report.cycle.dueDate}（宽限至 {report.cycle.lateAfter}）
          </Descriptions.Item>
        </Descriptions>
        {report.reviewComment && report.state === 'returned' && (
          <Alert
            type="warning"
            showIcon
            title="退回意见"
            description={report.reviewComment}
            style={{ marginTop: 12 }}
          />
        )}
        {report.prefilledFromId && editable && (
          <Alert
            type="info"
            showIcon
            title="已按上一周期的报告预填，只需修改有变化的内容"
            style={{ marginTop: 12 }}
          />
        )}
      </Card>

      <CountySummaryCard
        reportId={report.id}
        onUse={
          editable ? (text) => setNarrative((n) => (n.trim() ? `${n.trim()}\n${text}` : text)) : undefined
        }
      />

      <Card title="进展情况">
        <Form layout="vertical" disabled={!editable}>
          <Form.Item label="进展" htmlFor="report-progress">
            <Select<TaskProgress>
              id="report-progress"
              value={progress}
              onChange={setProgress}
              style={{ maxWidth: 240 }}
              options={TASK_PROGRESS.map((p) => ({ value: p, label: TASK_PROGRESS_LABELS[p] }))}
            />
          </Form.Item>
          <Form.Item label="进展说明" htmlFor="report-narrative">
            <Input.TextArea
              id="report-narrative"
              value={narrative}
              onChange={(e) => setNarrative(e.target.value)}
              autoSize={{ minRows: 3, maxRows: 12 }}
              maxLength={10000}
              showCount
            />
          </Form.Item>
          {report.indicators.map((ind) => (
            <Card
              key={ind.id}
              type="inner"
              size="small"
              style={{ marginBottom: 12 }}
              title={ind.text}
              extra={
                <Typography.Text type="secondary">
                  目标 {COMPARATOR_LABELS[ind.comparator as Comparator] ?? ind.comparator} {ind.targetValue}
                  {ind.unit}
                  {ind.deadline ? `（${ind.deadline}）` : ''}
                </Typography.Text>
              }
            >
              {!ind.isReported && !ind.computed && (
                <Typography.Text type="secondary">该指标由调查数据提供，无需填报。</Typography.Text>
              )}
              {ind.computed && <ComputedFigures computed={ind.computed} />}
              {rows
                .filter((r) => r.indicatorId === ind.id)
                .map((r) => {
                  const check = checkOf.get(r.key);
                  const prev = ind.previous.find((p) => p.countyId === r.countyId);
                  const inputId = `value-${r.key.replace('|', '-')}`;
                  return (
                    <div key={r.key} style={{ marginBottom: 8 }}>
                      <Space wrap align="start">
                        <label htmlFor={inputId} style={{ minWidth: 72, display: 'inline-block' }}>
                          {r.label}
                        </label>
                        <InputNumber<number>
                          id={inputId}
                          aria-label={`${ind.text} ${r.label}`}
                          min={0}
                          value={r.value}
                          onChange={(v) => setRow(r.key, { value: v ?? null, isPrefilled: false })}
                          addonAfter={ind.unit === '%' ? '人次' : ind.unit}
                          style={{ width: 200 }}
                        />
                        {r.isPrefilled && <Tag>沿用上期</Tag>}
                        {prev && (
                          <Typography.Text type="secondary">
                            上次审核：{prev.value}（{prev.cycleName}）
                          </Typography.Text>
                        )}
                        {check && <Tag color={LIGHT_COLORS[check.status]}>{LIGHT_LABELS[check.status]}</Tag>}
                      </Space>
                      {check && check.status !== 'no_data' && (
                        <Typography.Paragraph
                          type="secondary"
                          style={{ margin: '4px 0 0 80px', fontSize: 12 }}
                        >
                          {check.text}
                        </Typography.Paragraph>
                      )}
                      {check?.anomaly && (
                        <Alert
                          type="warning"
                          showIcon
                          title={check.anomaly}
                          style={{ margin: '4px 0 0 80px' }}
                        />
                      )}
                      {(check?.explanationRequired || r.note) && (
                        <Form.Item
                          label={`情况说明（${check?.isBehind ? '落后于序时进度' : check?.anomaly ? '低于上次审核值' : '可选'}）`}
                          htmlFor={`note-${inputId}`}
                          required={check?.explanationRequired}
                          validateStatus={
                            check?.explanationRequired &&
                            !r.note.trim() &&
                            (triedSubmit || touched.has(r.key))
                              ? 'error'
                              : undefined
                          }
                          help={
                            check?.explanationRequired && !r.note.trim() ? (
                              triedSubmit || touched.has(r.key) ? (
                                '须填写原因和措施'
                              ) : (
                                '请填写原因和措施'
                              )
                            ) : editable && r.note.trim() && missing.some((m) => m.key !== r.key) ? (
                              <Button
                                type="link"
                                size="small"
                                style={{ padding: 0 }}
                                onClick={() => copyNote(r)}
                              >
                                将此说明用于其他 {missing.filter((m) => m.key !== r.key).length}{' '}
                                项待说明的指标
                              </Button>
                            ) : undefined
                          }
                          style={{ margin: '4px 0 0 80px' }}
                        >
                          <Input.TextArea
                            id={`note-${inputId}`}
                            value={r.note}
                            onChange={(e) => setRow(r.key, { note: e.target.value })}
                            autoSize={{ minRows: 2 }}
                            maxLength={2000}
                          />
                        </Form.Item>
                      )}
                    </div>
                  );
                })}
            </Card>
          ))}
        </Form>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        {editable && (
          <Space>
            <Button onClick={() => void onSave()} loading={save.isPending}>
              保存草稿
            </Button>
            <Button type="primary" onClick={onSubmit} loading={action.isPending}>
              提交审核
            </Button>
          </Space>
        )}
      </Card>

      <Attachments report={report} />
      {report.can.review && <ReviewActions report={report} />}

      <Card title="处理记录">
        <Timeline
          items={report.events.map((e) => ({
            children: (
              <span>
                {formatDateTime(e.at)} {e.actorName ?? '系统'}：
                {{ create: '创建', submit: '提交', return: '退回', approve: '审核通过' }[e.action]}
                {e.comment ? `（${e.comment}）` : ''}
              </span>
            ),
          }))}
        />
      </Card>
    </Space>
  );
}

function Attachments({ report }: { report: ReportDetail }) {
  const { message } = App.useApp();
  const [uploading, setUploading] = useState<{ name: string; percent: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const remove = useDeleteAttachment();
  const [list, setList] = useState(report.attachments);

  const onFile = async (file: File) => {
    setError(null);
    if (file.size > REPORT_ATTACHMENT_MAX_BYTES) {
      setError(`「${file.name}」超过 ${REPORT_ATTACHMENT_MAX_BYTES / 1024 / 1024} MB 上限`);
      return;
    }
    setUploading({ name: file.name, percent: 0 });
    try {
      const att = await uploadAttachment(report.id, file, (percent) =>
        setUploading({ name: file.name, percent }),
      );
      setList((l) => [...l, att]);
      message.success(`已上传「${att.fileName}」`);
    } catch (e) {
      setError(`「${file.name}」${errorMessage(e)}`);
    } finally {
      setUploading(null);
    }
  };

  return (
    <Card title="佐证材料">
      <List
        dataSource={list}
        locale={{ emptyText: '暂无附件' }}
        renderItem={(a) => (
          <List.Item
            actions={
              report.can.upload
                ? [
                    <Button
                      key="del"
                      size="small"
                      danger
                      onClick={() =>
                        Modal.confirm({
                          title: `删除「${a.fileName}」？`,
                          okText: '删除',
                          cancelText: '取消',
                          onOk: async () => {
                            await remove.mutateAsync(a.id);
                            setList((l) => l.filter((x) => x.id !== a.id));
                          },
                        })
                      }
                    >
                      删除
                    </Button>,
                  ]
                : []
            }
          >
            <a href={`/api/v1/report-attachments/${a.id}`} download={a.fileName}>
              {a.fileName}
            </a>
            <Typography.Text type="secondary"> {(a.sizeBytes / 1024).toFixed(1)} KB</Typography.Text>
          </List.Item>
        )}
      />
      {report.can.upload && (
        <Space orientation="vertical" style={{ marginTop: 12, width: '100%' }}>
          <Upload
            id="attachment-input"
            accept={REPORT_ATTACHMENT_ACCEPT}
            showUploadList={false}
            disabled={uploading !== null}
            beforeUpload={(f) => {
              void onFile(f);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={uploading !== null}>
              上传佐证材料
            </Button>
          </Upload>
          <Typography.Text type="secondary">
            PDF、图片或 Office 文档，每个不超过 {REPORT_ATTACHMENT_MAX_BYTES / 1024 / 1024} MB
          </Typography.Text>
          {uploading && (
            <Progress percent={uploading.percent} size="small" aria-label={`上传 ${uploading.name}`} />
          )}
        </Space>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Card>
  );
}

function ReviewActions({ report }: { report: ReportDetail }) {
  const { message } = App.useApp();
  const action = useReportAction(report.id);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const run = (kind: 'approve' | 'return') => {
    if (kind === 'return' && !comment.trim()) {
      setError('退回须填写意见');
      return;
    }
    Modal.confirm({
      title: kind === 'approve' ? '审核通过？通过后报告锁定，数值计入指标。' : '退回给填报单位修改？',
      okText: kind === 'approve' ? '通过' : '退回',
      cancelText: '取消',
      onOk: async () => {
        setError(null);
        try {
          await action.mutateAsync({ action: kind, version: report.version, comment });
          message.success(kind === 'approve' ? '已审核通过' : '已退回');
        } catch (e) {
          setError(errorMessage(e));
        }
      },
    });
  };
  return (
    <Card title="审核">
      <Form layout="vertical">
        <Form.Item label="审核意见（退回时必填）" htmlFor="review-comment">
          <Input.TextArea
            id="review-comment"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            maxLength={2000}
          />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Space>
        <Button type="primary" onClick={() => run('approve')}>
          审核通过
        </Button>
        <Button danger onClick={() => run('return')}>
          退回修改
        </Button>
      </Space>
    </Card>
  );
}

/**
 * 县区汇总: a county government's report to the city shows the county's own tasks linked to this one, judged on the
 * county's plan as of the cycle's end; the clerk may put the sentence into the narrative.
 */
function CountySummaryCard({
  reportId,
  onUse,
}: {
  reportId: string;
  onUse: ((text: string) => void) | undefined;
}) {
  const q = useReportCountySummary(reportId);
  const s = q.data;
  if (!s?.applies) return null;
  return (
    <Card
      title={`${s.jurisdictionName ?? ''}县区汇总（截至 ${s.asOf}）`}
      extra={
        onUse && s.tasks.length > 0 ? (
          <Button size="small" onClick={() => onUse(s.text)}>
            填入进展说明
          </Button>
        ) : null
      }
      data-testid="county-summary"
    >
      <Typography.Paragraph style={{ marginBottom: s.tasks.length > 0 ? 8 : 0 }}>
        {s.text}
      </Typography.Paragraph>
      {s.tasks.length > 0 && (
        <Table
          rowKey="taskId"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={s.tasks}
          columns={[
            { title: '县级任务', key: 't', render: (_: unknown, t) => `${t.path} ${t.title}` },
            {
              title: '完成度',
              key: 'p',
              render: (_: unknown, t) =>
                t.progress === null ? '无数据' : `${(t.progress * 100).toFixed(1)}%`,
            },
            {
              title: '指标',
              key: 'i',
              render: (_: unknown, t) =>
                t.indicators.length === 0
                  ? '—'
                  : t.indicators
                      .map(
                        (i) =>
                          `${i.actual === null ? '无数据' : `${i.actual}${i.unit}`} / ${i.target ?? '—'}${i.unit}`,
                      )
                      .join('；'),
            },
          ]}
        />
      )}
    </Card>
  );
}

/** A registry-bound indicator: its figures as of the cycle's end, each opening the records behind it; no input. */
function ComputedFigures({
  computed,
}: {
  computed: NonNullable<ReportDetail['indicators'][number]['computed']>;
}) {
  return (
    <div>
      <Typography.Text type="secondary">
        该指标由资源库自动计算（{computed.description}），无需填报；如有出入，请在资源库中补充或更正记录。
      </Typography.Text>
      <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
        {computed.items.map((c) => (
          <li key={c.link}>
            <Link to={`/${c.link}`}>
              {c.countyName ? `${c.countyName}：` : ''}
              {c.label.split(' · ').slice(-1)[0]}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
