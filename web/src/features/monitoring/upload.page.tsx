import {
  type LonelyPsu,
  MARGIN_DIMENSION_LABELS,
  MARGIN_DIMENSIONS,
  type MarginDimension,
  type RakingChoice,
  SCORING_RULE_LABELS,
  SCORING_RULES,
  type SURVEY_ISSUE_KINDS,
  SURVEY_LIMITS,
  SURVEY_ROLE_LABELS,
  SURVEY_ROLES,
  type SurveyRole,
  type SurveyUpload,
  WaveImportSchema,
} from '@kesu/shared';
import {
  Alert,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Progress,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Steps,
  Table,
  Typography,
  Upload,
} from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../lib/format';
import {
  SURVEYS_KEY,
  uploadMicrodata,
  useMarginYears,
  useStartImport,
  useUpload,
  useHeadlines,
  useWave,
} from './monitoring.api';
import {
  applyDesignFile,
  cleanMapping,
  type DesignFile,
  parseDesignFile,
  findEstimate,
  formatEstimate,
  marginsToRoles,
} from './monitoring.model';

const ISSUE_LABELS: Record<(typeof SURVEY_ISSUE_KINDS)[number], string> = {
  row_length: '字段个数不符',
  weight_missing: '权数缺失',
  weight_invalid: '权数不是数字',
  weight_negative: '权数为负',
  stratum_missing: '层缺失（未知的层）',
  psu_missing: 'PSU 缺失',
  fpc_invalid: '有限总体校正值无效',
  age_invalid: '年龄无效',
  age_out_of_range: '年龄超出 18–69 岁',
  literate_invalid: '“具备科学素质”不是 0/1',
  score_invalid: '得分无效',
  lonely_psu: '单 PSU 层',
  margin_level_unknown: '校准边际不覆盖',
  estimation_failed: '估计失败',
  file_unreadable: '文件读取失败',
  no_rows: '没有数据',
};

const PHASES: Record<string, string> = { reading: '读取与校验', estimating: '计算估计值', saving: '保存' };

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

/** Step 1: choose the data file (and optionally its design.json), send it with a progress bar. */
function ChooseFile({ onUploaded }: { onUploaded: (u: SurveyUpload, design: DesignFile | null) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [design, setDesign] = useState<DesignFile | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    if (!file) return;
    if (file.size > SURVEY_LIMITS.uploadBytes) {
      setError(`文件超过 ${SURVEY_LIMITS.uploadBytes / 1024 / 1024} MB`);
      return;
    }
    setError(null);
    setProgress(0);
    try {
      const u = await uploadMicrodata(file, (loaded, total) =>
        setProgress(Math.round((loaded / total) * 100)),
      );
      onUploaded(u, design);
    } catch (e) {
      setError(errorMessage(e));
      setProgress(null);
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph>
        上传一轮抽样调查的微观数据（每位受访者一行；CSV 为 UTF-8 或 GBK 编码，或 xlsx 的第一个工作表），最大
        {SURVEY_LIMITS.uploadBytes / 1024 / 1024} MB。可同时选择设计说明 design.json（权数、层、PSU、单 PSU
        层处理与校准边际），用于预先填写映射。
      </Typography.Paragraph>
      <Upload
        id="survey-data-file"
        accept=".csv,.xlsx"
        maxCount={1}
        showUploadList={false}
        beforeUpload={(f) => {
          setFile(f);
          return false;
        }}
      >
        <Button icon={<UploadOutlined />}>选择数据文件（.csv / .xlsx）</Button>
      </Upload>
      <Upload
        id="survey-design-file"
        accept=".json,application/json"
        maxCount={1}
        showUploadList={false}
        beforeUpload={(f) => {
          void (async () => {
            const parsed = parseDesignFile(await f.text());
            if ('error' in parsed) {
              setDesign(null);
              setError(parsed.error);
            } else {
              setDesign(parsed.design);
              setError(null);
            }
          })();
          return false;
        }}
      >
        <Button icon={<UploadOutlined />}>选择设计说明 design.json（可选）</Button>
      </Upload>
      {design && <Typography.Text type="secondary">已读取设计说明，将用于预先填写映射</Typography.Text>}
      {file && (
        <Typography.Text type="secondary">
          {file.name}，{formatBytes(file.size)}
        </Typography.Text>
      )}
      {progress !== null && <Progress percent={progress} aria-label="上传进度" />}
      {error && <Alert type="error" showIcon message={error} />}
      <Button
        type="primary"
        disabled={!file || (progress !== null && progress < 100)}
        onClick={() => void send()}
      >
        上传
      </Button>
    </Space>
  );
}

interface MapForm {
  name: string;
  year: number;
  scoringRule: (typeof SCORING_RULES)[number];
  lonelyPsu: LonelyPsu;
  rakingSource: 'none' | 'explicit' | 'population';
  rakingYear?: number;
  rakingDimensions?: MarginDimension[];
  mapping: Partial<Record<SurveyRole, string>>;
}

/** Step 2: map file columns to roles, describe the wave and its raking. */
function MapColumns({
  upload,
  design,
  onStarted,
}: {
  upload: SurveyUpload;
  design: DesignFile | null;
  onStarted: () => void;
}) {
  const [form] = Form.useForm<MapForm>();
  const start = useStartImport();
  const years = useMarginYears();
  const [error, setError] = useState<string | null>(null);
  const initialMapping = applyDesignFile(upload.suggestedMapping, upload.columns, design);
  const source = Form.useWatch('rakingSource', form);
  const columnOptions = [
    { value: '', label: '（不使用）' },
    ...upload.columns.map((c) => ({ value: c, label: c })),
  ];
  const submit = (v: MapForm) => {
    const mapping = cleanMapping(v.mapping);
    let raking: RakingChoice = { source: 'none' };
    if (v.rakingSource === 'explicit' && design) {
      const { margins, unmapped } = marginsToRoles(design, mapping);
      if (unmapped.length) {
        setError(`design.json 的校准变量没有映射到列：${unmapped.join('、')}`);
        return;
      }
      raking = {
        source: 'explicit',
        margins,
        maxIter: design.raking?.maxIter ?? 100,
        epsilon: design.raking?.epsilon ?? 1e-10,
      };
    } else if (v.rakingSource === 'population' && v.rakingYear && v.rakingDimensions?.length) {
      raking = {
        source: 'population',
        year: v.rakingYear,
        dimensions: v.rakingDimensions as Exclude<MarginDimension, 'total'>[],
        maxIter: 100,
        epsilon: 1e-10,
      };
    }
    const body = {
      name: v.name,
      year: v.year,
      scoringRule: v.scoringRule,
      lonelyPsu: v.lonelyPsu,
      mapping,
      raking,
    };
    const parsed = WaveImportSchema.safeParse(body);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? '填写有误');
      return;
    }
    setError(null);
    start.mutate(
      { id: upload.id, body: parsed.data },
      { onSuccess: onStarted, onError: (e) => setError(errorMessage(e)) },
    );
  };
  return (
    <Form<MapForm>
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{
        name: `${new Date().getFullYear()} 年公民科学素质抽样调查`,
        year: new Date().getFullYear(),
        scoringRule: 'official-2021',
        lonelyPsu: design?.lonelyPsu ?? 'fail',
        rakingSource: design?.raking?.margins?.length ? 'explicit' : 'none',
        rakingDimensions: ['sex'],
        mapping: initialMapping,
      }}
    >
      <Typography.Title level={5}>
        文件预览（{upload.fileName}，前 {upload.preview.length} 行）
      </Typography.Title>
      <Table
        size="small"
        scroll={{ x: true }}
        pagination={false}
        rowKey={(_, i) => String(i)}
        columns={upload.columns.map((c, j) => ({
          title: c,
          key: c,
          render: (_: unknown, r: string[]) => r[j],
        }))}
        dataSource={upload.preview}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        列映射
      </Typography.Title>
      <Row gutter={16}>
        {SURVEY_ROLES.map((role) => (
          <Col xs={24} sm={12} lg={8} key={role}>
            <Form.Item name={['mapping', role]} label={SURVEY_ROLE_LABELS[role]} htmlFor={`mapping-${role}`}>
              <Select id={`mapping-${role}`} options={columnOptions} showSearch />
            </Form.Item>
          </Col>
        ))}
      </Row>
      <Typography.Title level={5}>本轮调查</Typography.Title>
      <Row gutter={16}>
        <Col xs={24} md={10}>
          <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
            <Input id="wave-name" />
          </Form.Item>
        </Col>
        <Col xs={12} md={4}>
          <Form.Item name="year" label="年份" rules={[{ required: true }]}>
            <InputNumber id="wave-year" min={2000} max={2100} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={10}>
          <Form.Item name="scoringRule" label="评分规则">
            <Select options={SCORING_RULES.map((r) => ({ value: r, label: SCORING_RULE_LABELS[r] }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={10}>
          <Form.Item name="lonelyPsu" label="单 PSU 层的处理（R survey.lonely.psu）">
            <Select
              options={[
                { value: 'fail', label: 'fail：报错（默认）' },
                { value: 'adjust', label: 'adjust：以总体均值为中心' },
                { value: 'average', label: 'average：取其他层的平均' },
                { value: 'remove', label: 'remove：忽略该层的方差' },
                { value: 'certainty', label: 'certainty：视为必然入样' },
              ]}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={14}>
          <Form.Item name="rakingSource" label="校准（raking）">
            <Radio.Group>
              <Radio value="none">不校准</Radio>
              <Radio value="explicit" disabled={!design?.raking?.margins?.length}>
                按 design.json 的边际
              </Radio>
              <Radio value="population">按人口边际表</Radio>
            </Radio.Group>
          </Form.Item>
        </Col>
        {source === 'population' && (
          <>
            <Col xs={12} md={6}>
              <Form.Item
                name="rakingYear"
                label="人口边际年份"
                rules={[{ required: true, message: '请选择年份' }]}
              >
                <Select options={(years.data?.years ?? []).map((y) => ({ value: y, label: String(y) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={18}>
              <Form.Item name="rakingDimensions" label="校准维度">
                <Select
                  mode="multiple"
                  options={MARGIN_DIMENSIONS.filter((d) => d !== 'total').map((d) => ({
                    value: d,
                    label: MARGIN_DIMENSION_LABELS[d],
                  }))}
                />
              </Form.Item>
            </Col>
          </>
        )}
      </Row>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Button type="primary" htmlType="submit" loading={start.isPending}>
        开始导入
      </Button>
    </Form>
  );
}

function Report({ upload }: { upload: SurveyUpload }) {
  const r = upload.report;
  if (!r) return null;
  const counts = Object.entries(r.counts).map(([kind, n]) => ({ kind, n }));
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert
        type="error"
        showIcon
        message={`数据未通过校验：${r.rows} 行中发现 ${r.errorCount} 个问题，未保存`}
        description="请修正文件后重新上传，或调整列映射与设计后重新导入。"
      />
      <Table
        size="small"
        pagination={false}
        rowKey="kind"
        columns={[
          {
            title: '问题',
            dataIndex: 'kind',
            render: (k: keyof typeof ISSUE_LABELS) => ISSUE_LABELS[k] ?? k,
          },
          { title: '个数', dataIndex: 'n', align: 'right' },
        ]}
        dataSource={counts}
      />
      <Typography.Title level={5}>前 {r.errors.length} 个问题</Typography.Title>
      <Table
        size="small"
        rowKey={(x, i) => `${x.row}-${i}`}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: '行', dataIndex: 'row', width: 80, render: (v: number | null) => v ?? '—' },
          { title: '列', dataIndex: 'column', width: 120, render: (v: string | null) => v ?? '—' },
          { title: '说明', dataIndex: 'message' },
        ]}
        dataSource={r.errors}
      />
    </Space>
  );
}

function Done({ waveId }: { waveId: string }) {
  const wave = useWave(waveId);
  const headlines = useHeadlines();
  const qc = useQueryClient();
  // The new wave belongs in every list read before it existed.
  useEffect(() => {
    void qc.invalidateQueries({ queryKey: [...SURVEYS_KEY, 'waves'] });
    void qc.invalidateQueries({ queryKey: [...SURVEYS_KEY, 'headlines'] });
  }, [qc]);
  // The wave's headline method (raking when it has margins), as everywhere else.
  const method = headlines.data?.items.find((h) => h.waveId === waveId)?.method ?? 'linearization';
  const e = wave.data && findEstimate(wave.data.estimates, { method, variable: 'literate', by: null });
  return (
    <Result
      status="success"
      title="导入完成"
      subTitle={
        e ? (
          <span>
            公民具备科学素质的比例 <span data-testid="import-headline">{formatEstimate(e)}</span>（95%
            置信区间，{method === 'raking' ? '加权校准' : '设计加权'}，n = {e.n}）
          </span>
        ) : (
          '已计算估计值'
        )
      }
      extra={
        <Link to={`/monitoring?wave=${encodeURIComponent(waveId)}`}>
          <Button type="primary">查看监测结果</Button>
        </Link>
      }
    />
  );
}

/** Step 3: follow the import (bytes read, rows, phase) until the wave is stored or the report says why not. */
function Importing({ uploadId, onBack }: { uploadId: string; onBack: () => void }) {
  const q = useUpload(uploadId);
  const u = q.data;
  if (!u) return null;
  if (u.status === 'done' && u.waveId) return <Done waveId={u.waveId} />;
  if (u.status === 'failed')
    return (
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Report upload={u} />
        <Button onClick={onBack}>返回修改映射</Button>
      </Space>
    );
  const percent = u.sizeBytes ? Math.min(99, Math.round((u.bytesRead / u.sizeBytes) * 100)) : 0;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Progress percent={u.phase === 'reading' ? percent : 99} status="active" aria-label="导入进度" />
      <Typography.Text>
        {PHASES[u.phase ?? ''] ?? '等待'}：已读取 {u.rowsRead.toLocaleString('zh-CN')} 行，
        {formatBytes(u.bytesRead)} / {formatBytes(u.sizeBytes)}
      </Typography.Text>
    </Space>
  );
}

/** /monitoring/upload — upload microdata, map columns, import with progress, see the headline or the report. */
export function SurveyUploadPage() {
  const [upload, setUpload] = useState<SurveyUpload | null>(null);
  const [design, setDesign] = useState<DesignFile | null>(null);
  const [step, setStep] = useState(0);
  return (
    <Card title="上传调查数据" extra={<Link to="/monitoring">返回监测</Link>}>
      <Steps
        current={step}
        style={{ marginBottom: 24 }}
        items={[{ title: '选择文件' }, { title: '列映射与设计' }, { title: '校验与计算' }]}
      />
      {step === 0 && (
        <ChooseFile
          onUploaded={(u, d) => {
            setUpload(u);
            setDesign(d);
            setStep(1);
          }}
        />
      )}
      {step === 1 && upload && <MapColumns upload={upload} design={design} onStarted={() => setStep(2)} />}
      {step === 2 && upload && <Importing uploadId={upload.id} onBack={() => setStep(1)} />}
    </Card>
  );
}
