import {
  RECIPIENT_KIND_LABELS,
  RECOGNITION_LEVELS,
  RECOGNITION_STATE_LABELS,
  type Recognition,
  RecognitionInputSchema,
  type RecognitionLevel,
  type RecognitionState,
  RecognitionUpdateSchema,
} from '@kesu/shared';
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { applyServerFieldErrors, validateWith } from '../../lib/form-errors';
import { errorMessage } from '../../lib/format';
import { useCurrentUser } from '../auth/require-auth';
import { useJurisdictions } from '../jurisdictions/jurisdictions.api';
import { useUnitList } from '../units/units.api';
import {
  type RecognitionStep,
  recognitionsExportUrl,
  useCreateRecognition,
  useDeleteRecognition,
  useRecognitionStep,
  useRecognitions,
  useUpdateRecognition,
} from './recognitions.api';
import { FileExportButtons } from '../../components/export-buttons';

const thisYear = () =>
  Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));

const STATE_COLORS: Record<RecognitionState, string> = {
  proposed: 'blue',
  confirmed: 'green',
  rejected: 'default',
};

function RecognitionForm({ item, onClose }: { item: Recognition | null; onClose: () => void }) {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const create = useCreateRecognition();
  const update = useUpdateRecognition();
  const jurisdictions = useJurisdictions();
  const [formError, setFormError] = useState<string | null>(null);
  const own = me.jurisdictionId ?? jurisdictions.data?.items.find((j) => j.parentId === null)?.id ?? null;
  const [unitSearch, setUnitSearch] = useState('');
  const units = useUnitList({
    ...(unitSearch.trim() ? { q: unitSearch.trim() } : {}),
    active: 'true',
    page: 1,
    pageSize: 20,
  });
  const unitOptions = [
    ...(item?.unitId && item.unitName ? [{ value: item.unitId, label: item.unitName }] : []),
    ...(units.data?.items ?? [])
      .filter((u) => u.id !== item?.unitId)
      .map((u) => ({ value: u.id, label: u.name })),
  ];
  const below = (jurisdictions.data?.items ?? []).filter((j) => j.id !== own);

  const onOk = async () => {
    const raw = form.getFieldsValue();
    const fields = {
      year: raw.year,
      recipientKind: raw.recipientKind,
      recipientName: raw.recipientName ?? '',
      unitId: raw.unitId ?? null,
      recipientJurisdictionId: raw.recipientJurisdictionId ?? null,
      level: raw.level,
      title: raw.title ?? '',
      reason: raw.reason ?? '',
      docNumber: raw.docNumber?.trim() ? raw.docNumber.trim() : null,
      awardedOn: raw.awardedOn ? dayjs(raw.awardedOn).format('YYYY-MM-DD') : null,
      sourceText: item?.sourceText ?? null,
      sourceRef: item?.sourceRef ?? null,
    };
    setFormError(null);
    try {
      if (item) {
        const checked = validateWith(RecognitionUpdateSchema, { ...fields, version: item.version }, form);
        if (!checked.ok) return;
        await update.mutateAsync({ id: item.id, body: checked.data });
      } else {
        const checked = validateWith(
          RecognitionInputSchema,
          { ...fields, jurisdictionId: own, confirmed: raw.confirmed === true },
          form,
        );
        if (!checked.ok) return;
        await create.mutateAsync(checked.data);
      }
      message.success('已保存');
      onClose();
    } catch (e) {
      if (!applyServerFieldErrors(e, form)) setFormError(errorMessage(e));
    }
  };

  return (
    <Modal
      open
      title={item ? '编辑表彰' : '新增表彰'}
      okText="保存"
      cancelText="取消"
      onOk={onOk}
      confirmLoading={create.isPending || update.isPending}
      onCancel={onClose}
      width={640}
      destroyOnHidden
    >
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={
          item
            ? { ...item, awardedOn: item.awardedOn ? dayjs(item.awardedOn) : null }
            : { year: thisYear(), recipientKind: 'collective', level: '市级', confirmed: false }
        }
      >
        <Space wrap>
          <Form.Item name="year" label="年度" required>
            <Select
              style={{ width: 110 }}
              options={Array.from({ length: 6 }, (_, k) => thisYear() - k).map((y) => ({
                value: y,
                label: `${y}年`,
              }))}
            />
          </Form.Item>
          <Form.Item name="recipientKind" label="对象类型" required>
            <Select
              style={{ width: 100 }}
              options={Object.entries(RECIPIENT_KIND_LABELS).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          <Form.Item name="level" label="级别" required>
            <Select
              style={{ width: 110 }}
              options={RECOGNITION_LEVELS.map((value) => ({ value, label: value }))}
            />
          </Form.Item>
        </Space>
        <Form.Item name="recipientName" label="表彰对象（单位、集体或个人姓名）" required>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="unitId" label="对应单位（可不填）">
          <Select
            allowClear
            showSearch={{ filterOption: false, onSearch: setUnitSearch }}
            placeholder="输入单位名称搜索"
            options={unitOptions}
            onChange={(id?: string) => {
              const name = unitOptions.find((o) => o.value === id)?.label;
              if (name && !form.getFieldValue('recipientName')) form.setFieldValue('recipientName', name);
            }}
          />
        </Form.Item>
        <Form.Item name="recipientJurisdictionId" label="所属县区（可不填）">
          <Select allowClear options={below.map((j) => ({ value: j.id, label: j.name }))} />
        </Form.Item>
        <Form.Item name="title" label="荣誉称号" required>
          <Input maxLength={100} placeholder="如 全民科学素质工作先进集体" />
        </Form.Item>
        <Form.Item name="reason" label="事迹或理由">
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="docNumber" label="文号">
            <Input maxLength={60} placeholder="如 徐科协〔2026〕12号" style={{ width: 240 }} />
          </Form.Item>
          <Form.Item name="awardedOn" label="日期">
            <DatePicker />
          </Form.Item>
        </Space>
        {item?.sourceText && <Typography.Text type="secondary">来源：{item.sourceText}</Typography.Text>}
        {!item && (
          <Form.Item name="confirmed" valuePropName="checked">
            <Checkbox>已正式表彰（直接记为已确认）</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** 表彰奖励: the records of the user's level and below, filtered; the awarding level's admin decides and publishes. */
export function RecognitionsPage() {
  const me = useCurrentUser();
  const { message } = App.useApp();
  const [year, setYear] = useState<number | undefined>(undefined);
  const [level, setLevel] = useState<RecognitionLevel | undefined>(undefined);
  const [state, setState] = useState<RecognitionState | undefined>(undefined);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Recognition | 'new' | null>(null);
  const query = { year, level, state, page, pageSize: 20 };
  const list = useRecognitions(query);
  const step = useRecognitionStep();
  const remove = useDeleteRecognition();
  const years = useMemo(() => Array.from({ length: 6 }, (_, k) => thisYear() - k), []);
  const isAdmin = me.role === 'admin';
  const fail = (e: unknown) => message.error(errorMessage(e));
  const doStep = (r: Recognition, s: RecognitionStep, done: string) =>
    step.mutate(
      { id: r.id, step: s, version: r.version },
      { onSuccess: () => message.success(done), onError: fail },
    );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          表彰奖励
        </Typography.Title>
        <Space wrap>
          {isAdmin && (
            <Button type="primary" onClick={() => setEditing('new')}>
              新增表彰
            </Button>
          )}
          <FileExportButtons urlOf={(f) => recognitionsExportUrl(query, f)} />
        </Space>
      </Space>
      <Space wrap>
        <Select
          aria-label="年度"
          allowClear
          placeholder="全部年度"
          style={{ width: 120 }}
          value={year}
          onChange={(v) => {
            setYear(v);
            setPage(1);
          }}
          options={years.map((y) => ({ value: y, label: `${y}年` }))}
        />
        <Select
          aria-label="级别"
          allowClear
          placeholder="全部级别"
          style={{ width: 120 }}
          value={level}
          onChange={(v) => {
            setLevel(v);
            setPage(1);
          }}
          options={RECOGNITION_LEVELS.map((value) => ({ value, label: value }))}
        />
        <Select
          aria-label="状态"
          allowClear
          placeholder="全部状态"
          style={{ width: 120 }}
          value={state}
          onChange={(v) => {
            setState(v);
            setPage(1);
          }}
          options={Object.entries(RECOGNITION_STATE_LABELS).map(([value, label]) => ({ value, label }))}
        />
      </Space>
      {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
      <Table
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: '暂无表彰记录' }}
        pagination={{
          current: page,
          pageSize: 20,
          total: list.data?.total ?? 0,
          onChange: setPage,
          showTotal: (t) => `共 ${t} 条`,
        }}
        columns={[
          { title: '年度', dataIndex: 'year', key: 'year', width: 70 },
          {
            title: '表彰对象',
            key: 'who',
            render: (_: unknown, r) => (
              <Space orientation="vertical" size={0}>
                <span>
                  {r.recipientName}
                  <Typography.Text type="secondary">
                    （{RECIPIENT_KIND_LABELS[r.recipientKind]}）
                  </Typography.Text>
                </span>
                {r.recipientJurisdictionName && (
                  <Typography.Text type="secondary">{r.recipientJurisdictionName}</Typography.Text>
                )}
              </Space>
            ),
          },
          { title: '荣誉称号', dataIndex: 'title', key: 'title' },
          { title: '级别', dataIndex: 'level', key: 'level', width: 70 },
          { title: '授予', dataIndex: 'jurisdictionName', key: 'by', width: 90 },
          { title: '文号', key: 'doc', render: (_: unknown, r) => r.docNumber ?? '—' },
          {
            title: '状态',
            key: 'state',
            render: (_: unknown, r) => (
              <Space size={4} wrap>
                <Tag color={STATE_COLORS[r.state]}>{RECOGNITION_STATE_LABELS[r.state]}</Tag>
                {r.isPublished && <Tag color="cyan">已公开</Tag>}
                {r.sourceText && <Typography.Text type="secondary">{r.sourceText}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: '操作',
            key: 'ops',
            render: (_: unknown, r) =>
              r.canEdit ? (
                <Space size={0} wrap>
                  <Button size="small" type="link" onClick={() => setEditing(r)}>
                    编辑
                  </Button>
                  {r.state === 'proposed' && (
                    <>
                      <Button size="small" type="link" onClick={() => doStep(r, 'confirm', '已确认')}>
                        确认
                      </Button>
                      <Popconfirm
                        title="不予通过此表彰建议？"
                        okText="不予通过"
                        cancelText="取消"
                        onConfirm={() => doStep(r, 'reject', '已标记为未通过')}
                      >
                        <Button size="small" type="link">
                          不予通过
                        </Button>
                      </Popconfirm>
                    </>
                  )}
                  {r.state === 'confirmed' && !r.isPublished && (
                    <Button size="small" type="link" onClick={() => doStep(r, 'publish', '已公开')}>
                      公开
                    </Button>
                  )}
                  {r.isPublished && (
                    <Button size="small" type="link" onClick={() => doStep(r, 'unpublish', '已撤回公开')}>
                      撤回公开
                    </Button>
                  )}
                  <Popconfirm
                    title={`删除“${r.recipientName}”的表彰记录？此操作不可恢复。`}
                    okText="删除"
                    okButtonProps={{ danger: true }}
                    cancelText="取消"
                    onConfirm={() =>
                      remove.mutate(r.id, { onSuccess: () => message.success('已删除'), onError: fail })
                    }
                  >
                    <Button size="small" type="link" danger>
                      删除
                    </Button>
                  </Popconfirm>
                </Space>
              ) : null,
          },
        ]}
      />
      {editing && (
        <RecognitionForm item={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </Space>
  );
}
