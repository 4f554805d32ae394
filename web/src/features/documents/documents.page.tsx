import { FilePdfOutlined, FileWordOutlined } from '@ant-design/icons';
import {
  DOCUMENT_JOB_PHASE_LABELS,
  DOCUMENT_KIND_LABELS,
  DOCUMENT_KINDS,
  type DocumentFormat,
  type DocumentKind,
  type DocumentSubjectQuery,
  type DocumentTemplate,
  type DocumentTemplateFields,
  fillTemplate,
  NOTICE_STATE_LABELS,
  TEMPLATE_FIELD_LABELS,
  TEMPLATE_FIELDS,
} from '@kesu/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Progress,
  Radio,
  Select,
  Space,
  Spin,
  Table,
  Tabs,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { usePlanList } from '../plans/plans.api';
import { useCycles } from '../reporting/reporting.api';
import { useNotices } from '../supervision/supervision.api';
import { useUnitList } from '../units/units.api';
import {
  downloadDocumentJob,
  useDocumentJob,
  useDocumentTemplates,
  usePlaceholderValues,
  useSaveDocumentTemplate,
  useStartDocumentJob,
} from './documents.api';

const thisYear = () =>
  Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

interface Subject {
  planId?: string;
  cycleId?: string;
  noticeId?: string;
  unitId?: string;
  year?: number;
}

/** The pickers of one kind of document: cycle; plan and year; notice; plan, unit and year. */
function SubjectPicker({
  kind,
  value,
  onChange,
}: {
  kind: DocumentKind;
  value: Subject;
  onChange: (s: Subject) => void;
}) {
  const me = useCurrentUser();
  const isUnit = me.role === 'reporter';
  const plans = usePlanList(1, 100);
  const cycles = useCycles({ planId: value.planId, pageSize: 200 });
  const notices = useNotices({ page: 1, pageSize: 100 });
  const units = useUnitList({ active: 'true', page: 1, pageSize: 200 });
  const needsPlan = kind !== 'notice';
  return (
    <Space wrap>
      {needsPlan && (
        <Select
          style={{ width: 320 }}
          placeholder="选择规划"
          value={value.planId}
          loading={plans.isLoading}
          options={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))}
          onChange={(planId: string) => onChange({ ...value, planId, cycleId: undefined })}
        />
      )}
      {kind === 'bulletin' && (
        <Select
          style={{ width: 220 }}
          placeholder="选择填报周期"
          value={value.cycleId}
          disabled={!value.planId}
          options={(cycles.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          onChange={(cycleId: string) => onChange({ ...value, cycleId })}
        />
      )}
      {(kind === 'annual' || kind === 'unit-summary') && (
        <InputNumber
          addonBefore="年度"
          min={2000}
          max={2100}
          value={value.year}
          onChange={(year) => onChange({ ...value, year: year ?? undefined })}
        />
      )}
      {kind === 'unit-summary' && !isUnit && (
        <Select
          showSearch
          optionFilterProp="label"
          style={{ width: 240 }}
          placeholder="选择单位"
          value={value.unitId}
          options={(units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
          onChange={(unitId: string) => onChange({ ...value, unitId })}
        />
      )}
      {kind === 'notice' && (
        <Select
          showSearch
          optionFilterProp="label"
          style={{ width: 420 }}
          placeholder="选择督办单"
          value={value.noticeId}
          options={(notices.data?.items ?? []).map((n) => ({
            value: n.id,
            label: `${n.unitName}：${n.subject}（${NOTICE_STATE_LABELS[n.state]}）`,
          }))}
          onChange={(noticeId: string) => onChange({ ...value, noticeId })}
        />
      )}
    </Space>
  );
}

/** Whether the subject names everything the kind needs. */
function complete(kind: DocumentKind, s: Subject): boolean {
  switch (kind) {
    case 'bulletin':
      return Boolean(s.cycleId);
    case 'annual':
      return Boolean(s.planId && s.year);
    case 'notice':
      return Boolean(s.noticeId);
    case 'unit-summary':
      return Boolean(s.planId && s.unitId && s.year);
  }
}

function queryOf(kind: DocumentKind, s: Subject): DocumentSubjectQuery {
  switch (kind) {
    case 'bulletin':
      return { cycleId: s.cycleId };
    case 'annual':
      return { planId: s.planId, year: s.year };
    case 'notice':
      return { noticeId: s.noticeId };
    case 'unit-summary':
      return { planId: s.planId, unitId: s.unitId, year: s.year };
  }
}

const KIND_HELP: Record<DocumentKind, string> = {
  bulletin: '一个填报周期的亮灯情况、各单位按时报送率、红黄灯指标及单位说明、督办办理情况。',
  annual:
    '一个规划一年的总体进展、指标完成表、公民科学素质比例及置信区间、县区对比、按时报送、督办和年度考核情况。',
  notice: '一张督办单的通知书：发文字号、责任单位、督办事项、办理时限和督办等级。',
  'unit-summary': '一个单位一年承担的任务、报送的报告、指标完成情况和收到的督办事项。',
};

/**
 * 下载 Word / 下载 PDF, made in the background (issue 17): the server queues the document, the page shows its progress
 * and saves the file once it is done, or shows why it failed (e.g. no LibreOffice for PDF).
 */
function DocumentJobButtons({
  kind,
  query,
  disabled,
}: {
  kind: DocumentKind;
  query: DocumentSubjectQuery;
  disabled: boolean;
}) {
  const { message } = App.useApp();
  const start = useStartDocumentJob();
  const [jobId, setJobId] = useState<string | null>(null);
  const [format, setFormat] = useState<DocumentFormat | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const job = useDocumentJob(jobId);
  const j = job.data;
  const running = start.isPending || j?.status === 'queued' || j?.status === 'running';
  // Saved once when it is done (a shared job already saved is not saved again).
  useEffect(() => {
    if (j?.status !== 'done' || saved === j.id) return;
    setSaved(j.id);
    downloadDocumentJob(j).catch((e: unknown) => message.error(errorMessage(e)));
  }, [j, saved, message]);
  const generate = async (f: DocumentFormat) => {
    setFormat(f);
    try {
      setJobId((await start.mutateAsync({ kind, query, format: f })).id);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const button = (f: DocumentFormat) => (
    <Button
      icon={f === 'docx' ? <FileWordOutlined /> : <FilePdfOutlined />}
      loading={running && format === f}
      disabled={disabled || running}
      onClick={() => void generate(f)}
    >
      {f === 'docx' ? '下载 Word' : '下载 PDF'}
    </Button>
  );
  return (
    <Space direction="vertical" size="small">
      <Space wrap>
        {button('docx')}
        {button('pdf')}
      </Space>
      {running && (
        <Space role="status" aria-label="生成进度">
          <Spin size="small" />
          <Typography.Text>
            正在生成……{j?.progress ? DOCUMENT_JOB_PHASE_LABELS[j.progress.phase] : '排队等候'}
          </Typography.Text>
          <Progress percent={j?.progress?.percent ?? 0} size="small" style={{ width: 200 }} />
        </Space>
      )}
      {j?.status === 'failed' && <Alert type="error" showIcon message={j.error ?? '生成失败，请稍后重试'} />}
      {j?.status === 'expired' && <Alert type="warning" showIcon message="文件已过期，请重新生成" />}
      {j?.status === 'done' && (
        <Typography.Text type="secondary">
          已生成：{j.fileName}{' '}
          <Typography.Link
            onClick={() => downloadDocumentJob(j).catch((e: unknown) => message.error(errorMessage(e)))}
          >
            再次下载
          </Typography.Link>
        </Typography.Text>
      )}
      {job.error && <Alert type="error" showIcon message={errorMessage(job.error)} />}
    </Space>
  );
}

function GeneratePanel() {
  const me = useCurrentUser();
  const isUnit = me.role === 'reporter';
  const kinds: DocumentKind[] = isUnit ? ['unit-summary', 'notice'] : [...DOCUMENT_KINDS];
  const [kind, setKind] = useState<DocumentKind>(kinds[0]!);
  const [subject, setSubject] = useState<Subject>({ year: thisYear() - 1, unitId: me.unitId ?? undefined });
  return (
    <Card>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Radio.Group
          value={kind}
          optionType="button"
          options={kinds.map((k) => ({ value: k, label: DOCUMENT_KIND_LABELS[k] }))}
          onChange={(e) => setKind(e.target.value)}
        />
        <Typography.Text type="secondary">{KIND_HELP[kind]}</Typography.Text>
        <SubjectPicker kind={kind} value={subject} onChange={setSubject} />
        <DocumentJobButtons kind={kind} query={queryOf(kind, subject)} disabled={!complete(kind, subject)} />
        <Typography.Text type="secondary">
          Word 版本按党政机关公文格式排版（仿宋_GB2312 正文、黑体一级标题、页码“— 1
          —”），表格和图表下注明数据截至日期和来源； PDF 版本需要服务器安装 LibreOffice。
        </Typography.Text>
      </Space>
    </Card>
  );
}

function TemplateEditor({ template }: { template: DocumentTemplate }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<DocumentTemplateFields>();
  const save = useSaveDocumentTemplate(template.kind);
  const [subject, setSubject] = useState<Subject>({ year: thisYear() - 1 });
  const values = usePlaceholderValues(template.kind, subject, complete(template.kind, subject));
  const watched = Form.useWatch([], form) as DocumentTemplateFields | undefined;
  useEffect(() => form.setFieldsValue(template.fields), [form, template]);
  const current = values.data?.values ?? {};
  const rows = template.placeholders.map((p) => ({ ...p, value: current[p.name] ?? '' }));
  const preview = useMemo(
    () => TEMPLATE_FIELDS.map((f) => [f, fillTemplate(watched?.[f] ?? template.fields[f], current)] as const),
    [watched, template, current],
  );
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Text type="secondary">
        {template.isDefault
          ? '当前使用系统默认模板；保存后本级使用自己的模板。'
          : `第 ${template.version} 版，${template.updatedBy ?? ''}修改。`}
        占位符写作 {'{{名称}}'}，只能使用下表列出的占位符。
      </Typography.Text>
      <Form
        form={form}
        layout="vertical"
        initialValues={template.fields}
        onFinish={async (v) => {
          try {
            await save.mutateAsync({ ...v, version: template.version });
            message.success('模板已保存');
          } catch (e) {
            message.error(errorMessage(e));
          }
        }}
      >
        {TEMPLATE_FIELDS.map((f) => (
          <Form.Item key={f} name={f} label={TEMPLATE_FIELD_LABELS[f]}>
            {f === 'intro' || f === 'closing' ? (
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} />
            ) : (
              <Input />
            )}
          </Form.Item>
        ))}
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          保存模板
        </Button>
      </Form>
      <Card size="small" title="可用占位符及当前取值">
        <Space direction="vertical" style={{ width: '100%' }}>
          <SubjectPicker kind={template.kind} value={subject} onChange={setSubject} />
          {values.error && <Alert type="warning" showIcon message={errorMessage(values.error)} />}
          <Table
            size="small"
            rowKey="name"
            pagination={false}
            dataSource={rows}
            columns={[
              { title: '占位符', dataIndex: 'name', render: (n: string) => `{{${n}}}` },
              { title: '含义', dataIndex: 'label' },
              { title: '当前取值', dataIndex: 'value', render: (v: string) => v || '—' },
            ]}
          />
        </Space>
      </Card>
      <Card size="small" title="预览">
        <Descriptions column={1} size="small" bordered>
          {preview.map(([f, text]) => (
            <Descriptions.Item key={f} label={TEMPLATE_FIELD_LABELS[f]}>
              <span style={{ whiteSpace: 'pre-wrap' }}>{text}</span>
            </Descriptions.Item>
          ))}
        </Descriptions>
      </Card>
    </Space>
  );
}

function TemplatesPanel() {
  const templates = useDocumentTemplates();
  if (templates.error) return <Alert type="error" showIcon message={errorMessage(templates.error)} />;
  const items = templates.data?.items ?? [];
  if (!templates.isLoading && items.length === 0) return <Empty description="暂无模板" />;
  return (
    <Card loading={templates.isLoading}>
      <Tabs
        items={items.map((t) => ({
          key: t.kind,
          label: t.label,
          children: <TemplateEditor template={t} />,
        }))}
      />
    </Card>
  );
}

/** 文档生成: Word/PDF documents made from the data; the admin edits the level's templates. */
export function DocumentsPage() {
  const me = useCurrentUser();
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        文档生成
      </Typography.Title>
      <Tabs
        items={[
          { key: 'generate', label: '生成文档', children: <GeneratePanel /> },
          ...(me.role === 'admin'
            ? [{ key: 'templates', label: '文档模板', children: <TemplatesPanel /> }]
            : []),
        ]}
      />
    </Space>
  );
}
