import {
  CYCLE_FREQUENCIES,
  CYCLE_FREQUENCY_LABELS,
  CYCLE_STATE_LABELS,
  type Cycle,
  type CycleFrequency,
} from '@kesu/shared';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { errorMessage, formatDateTime } from '../../lib/format';
import { DocumentWordButton } from '../../components/document-download';
import { usePlanList } from '../plans/plans.api';
import { useCreateCycle, useCycleAction, useCycles } from './reporting.api';
import { UrgeDrawer } from './urge.drawer';

const STATE_COLORS = { open: 'green', closed: 'orange', locked: 'default' } as const;

interface CycleForm {
  planId: string;
  name: string;
  frequency: CycleFrequency;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  graceDays: number;
}

/** /reporting/cycles — the admin defines reporting cycles and closes / reopens / locks them. */
export function CyclesPage() {
  const cycles = useCycles();
  const plans = usePlanList(1, 100);
  const create = useCreateCycle();
  const act = useCycleAction();
  const { message } = App.useApp();
  const [form] = Form.useForm<CycleForm>();
  const [error, setError] = useState<string | null>(null);
  const [urging, setUrging] = useState<Cycle | null>(null);

  const onCreate = async (v: CycleForm) => {
    setError(null);
    try {
      const made = await create.mutateAsync(v);
      if (made.afterPlanEnd) {
        Modal.warning({
          title: '该周期在规划期之后',
          content: `规划期至 ${made.planEnd} 结束。本周期的指标按终期判定（完成 / 未完成），不再计算序时进度；如需继续跟踪，请先导入新一期规划。`,
          okText: '知道了',
        });
      } else message.success('已新建填报周期');
      form.resetFields(['name', 'periodStart', 'periodEnd', 'dueDate']);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const confirm = (c: Cycle, action: 'close' | 'reopen' | 'lock') => {
    const text = {
      close: `截止「${c.name}」？截止后各单位不能再填报或修改（已提交的仍可审核）。`,
      reopen: `重新开放「${c.name}」？`,
      lock: `锁定「${c.name}」？锁定后任何内容都不能再修改，且不可撤销。`,
    }[action];
    Modal.confirm({
      title: text,
      okText: '确定',
      cancelText: '取消',
      okButtonProps: { danger: action === 'lock' },
      onOk: async () => {
        try {
          await act.mutateAsync({ id: c.id, action, version: c.version });
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title="新建填报周期">
        <Form<CycleForm>
          form={form}
          layout="inline"
          onFinish={(v) => void onCreate(v)}
          initialValues={{ frequency: 'quarterly', graceDays: 5 }}
        >
          <Form.Item name="planId" label="规划" rules={[{ required: true, message: '请选择规划' }]}>
            <Select
              style={{ width: 260 }}
              options={(plans.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))}
            />
          </Form.Item>
          <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
            <Input placeholder="如 2025年第一季度" />
          </Form.Item>
          <Form.Item name="frequency" label="频次">
            <Select
              style={{ width: 100 }}
              options={CYCLE_FREQUENCIES.map((f) => ({ value: f, label: CYCLE_FREQUENCY_LABELS[f] }))}
            />
          </Form.Item>
          {(['periodStart', 'periodEnd', 'dueDate'] as const).map((f) => (
            <Form.Item
              key={f}
              name={f}
              label={{ periodStart: '开始', periodEnd: '结束', dueDate: '截止日' }[f]}
              rules={[{ required: true, message: '请选择日期' }]}
              getValueProps={(v: string | undefined) => ({ value: v ? dayjs(v) : undefined })}
              normalize={(d: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
            >
              <DatePicker style={{ width: 150 }} />
            </Form.Item>
          ))}
          <Form.Item name="graceDays" label="宽限天数">
            <InputNumber min={0} max={365} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={create.isPending}>
              新建
            </Button>
          </Form.Item>
        </Form>
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      </Card>
      <Card title="填报周期">
        <Table<Cycle>
          rowKey="id"
          dataSource={cycles.data?.items ?? []}
          loading={cycles.isFetching}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: '名称', dataIndex: 'name' },
            { title: '规划', key: 'plan', render: (_, c) => `${c.planTitle}（第${c.versionNumber}版）` },
            { title: '频次', key: 'f', render: (_, c) => CYCLE_FREQUENCY_LABELS[c.frequency] },
            {
              title: '期间',
              key: 'p',
              render: (_, c) => (
                <>
                  {c.periodStart} 至 {c.periodEnd}
                  {c.afterPlanEnd && (
                    <Tag color="orange" style={{ marginInlineStart: 8 }} title={`规划期至 ${c.planEnd}`}>
                      规划期后
                    </Tag>
                  )}
                </>
              ),
            },
            { title: '截止', key: 'd', render: (_, c) => `${c.dueDate}（宽限 ${c.graceDays} 天）` },
            {
              title: '状态',
              key: 's',
              render: (_, c) => <Tag color={STATE_COLORS[c.state]}>{CYCLE_STATE_LABELS[c.state]}</Tag>,
            },
            { title: '锁定时间', key: 'l', render: (_, c) => formatDateTime(c.lockedAt) },
            {
              title: '操作',
              key: 'op',
              fixed: 'right',
              render: (_, c) => (
                <Space>
                  <DocumentWordButton kind="bulletin" query={{ cycleId: c.id }} label="通报" />
                  {c.state !== 'locked' && (
                    <Button size="small" onClick={() => setUrging(c)}>
                      催报
                    </Button>
                  )}
                  {c.state === 'open' && (
                    <Button size="small" onClick={() => confirm(c, 'close')}>
                      截止
                    </Button>
                  )}
                  {c.state === 'closed' && (
                    <Button size="small" onClick={() => confirm(c, 'reopen')}>
                      重新开放
                    </Button>
                  )}
                  {c.state !== 'locked' && (
                    <Button size="small" danger onClick={() => confirm(c, 'lock')}>
                      锁定
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {urging && <UrgeDrawer cycle={urging} onClose={() => setUrging(null)} />}
    </Space>
  );
}
