import {
  REGISTRY_COLUMN_ORDER,
  REGISTRY_DEFINITIONS,
  RESOURCE_KINDS,
  type RegistryDetail,
  type ResourceKind,
  VolunteerServiceInputSchema,
} from '@kesu/shared';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Skeleton,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../lib/format';
import { useAddService, useRegistryHistory, useRegistryRecord } from './registries.api';

export const STATUS_COLORS: Record<string, string> = {
  在册: 'green',
  已到期: 'orange',
  已摘牌: 'red',
  未生效: 'default',
};

/** The fields of a record as its kind names them, blank ones left out. */
function fieldsOf(kind: ResourceKind, r: RegistryDetail): { label: string; value: ReactNode }[] {
  const def = REGISTRY_DEFINITIONS[kind];
  const c = def.columns;
  const out: { label: string; value: ReactNode }[] = [
    { label: '所属行政区划', value: r.jurisdictionName },
    { label: '登记单位', value: r.unitName },
  ];
  const add = (label: string | undefined, v: ReactNode) => {
    if (label && v !== null && v !== undefined && v !== '') out.push({ label, value: v });
  };
  for (const column of REGISTRY_COLUMN_ORDER) {
    const f = c[column];
    if (!f) continue;
    if (column === 'coordinates')
      add('坐标', r.longitude !== null ? `经度 ${r.longitude}，纬度 ${r.latitude}` : null);
    else if (column === 'openToPublic')
      add(f.label, r.openToPublic === null ? null : r.openToPublic ? '是' : '否');
    else if (column === 'parent') add(f.label, r.parentName);
    else if (column === 'withdrawn') {
      add(`${f.label}日期`, r.withdrawnOn);
      add(`${f.label}原因`, r.withdrawnReason);
    } else add(f.label, r[column as 'level'] as ReactNode);
  }
  for (const d of def.details) add(d.label, r.details[d.key]);
  return out;
}

function ServiceForm({ volunteerId }: { volunteerId: string }) {
  const [form] = Form.useForm<{ servedOn: string; hours: number; description?: string }>();
  const add = useAddService(volunteerId);
  const { message } = App.useApp();
  return (
    <Form
      form={form}
      layout="inline"
      disabled={add.isPending}
      onFinish={(v) => {
        const parsed = VolunteerServiceInputSchema.safeParse({
          servedOn: v.servedOn?.trim(),
          hours: v.hours,
          description: v.description?.trim() || null,
        });
        if (!parsed.success) {
          form.setFields(
            parsed.error.issues.map((i) => ({ name: String(i.path[0]) as 'servedOn', errors: [i.message] })),
          );
          return;
        }
        add.mutate(parsed.data, {
          onSuccess: () => {
            void message.success('已登记服务记录');
            form.resetFields();
          },
          onError: (e) => void message.error(errorMessage(e)),
        });
      }}
      style={{ rowGap: 8 }}
    >
      <Form.Item name="servedOn" rules={[{ required: true, message: '请填写服务日期' }]}>
        <Input placeholder="服务日期 YYYY-MM-DD" aria-label="服务日期" style={{ width: 170 }} />
      </Form.Item>
      <Form.Item name="hours" rules={[{ required: true, message: '请填写时长' }]}>
        <InputNumber
          placeholder="时长（小时）"
          aria-label="服务时长"
          min={0.5}
          max={24}
          step={0.5}
          style={{ width: 130 }}
        />
      </Form.Item>
      <Form.Item name="description">
        <Input placeholder="服务内容" aria-label="服务内容" maxLength={200} style={{ width: 200 }} />
      </Form.Item>
      <Button htmlType="submit" loading={add.isPending}>
        登记服务
      </Button>
    </Form>
  );
}

/** A record's detail: its fields, a volunteer's service records, and its history (who, when, what). */
export function RegistryDrawer({
  kind,
  id,
  onClose,
  actions,
}: {
  kind: ResourceKind;
  id: string | null;
  onClose: () => void;
  actions?: (r: RegistryDetail) => ReactNode;
}) {
  const def = REGISTRY_DEFINITIONS[kind];
  const childKind = RESOURCE_KINDS.find((k) => REGISTRY_DEFINITIONS[k].parentKind === kind);
  const rec = useRegistryRecord(kind, id);
  const history = useRegistryHistory(kind, id);
  const r = rec.data;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size="large"
      title={r ? r.name : `${def.label}详情`}
      extra={r ? actions?.(r) : null}
    >
      {rec.isLoading && <Skeleton active />}
      {rec.error && <Alert type="error" showIcon title={errorMessage(rec.error)} />}
      {r && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Space wrap>
            <Tag color={STATUS_COLORS[r.status]}>{r.status}</Tag>
            {r.isDemo && <Tag color="purple">演示数据</Tag>}
            {r.childCount > 0 && childKind && (
              <Link to={`/registries/${childKind}?parentId=${r.id}`} onClick={onClose}>
                查看{REGISTRY_DEFINITIONS[childKind].label} {r.childCount} 条
              </Link>
            )}
          </Space>
          <Descriptions column={1} size="small" bordered>
            {fieldsOf(kind, r).map((f) => (
              <Descriptions.Item key={f.label} label={f.label}>
                {f.value}
              </Descriptions.Item>
            ))}
          </Descriptions>
          {kind === 'volunteer' && (
            <div>
              <Typography.Title level={5}>服务记录（合计 {r.totalHours ?? 0} 小时）</Typography.Title>
              {r.canEdit && <ServiceForm volunteerId={r.id} />}
              <Table
                size="small"
                rowKey="id"
                style={{ marginTop: 8 }}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                dataSource={r.services ?? []}
                locale={{ emptyText: <Empty description="尚无服务记录" /> }}
                columns={[
                  { title: '日期', dataIndex: 'servedOn', width: 110 },
                  { title: '时长（小时）', dataIndex: 'hours', width: 100 },
                  { title: '内容', dataIndex: 'description', render: (v: string | null) => v ?? '—' },
                  { title: '科普活动', dataIndex: 'activityTitle', render: (v: string | null) => v ?? '—' },
                ]}
              />
            </div>
          )}
          <div>
            <Typography.Title level={5}>修改历史</Typography.Title>
            {history.isLoading && <Skeleton active />}
            {history.data && history.data.items.length === 0 && <Empty description="没有历史记录" />}
            {history.data && history.data.items.length > 0 && (
              <Timeline
                items={[...history.data.items].reverse().map((h, k) => ({
                  key: k,
                  content: (
                    <div>
                      <Typography.Text strong>{h.action}</Typography.Text>
                      <Typography.Text type="secondary">
                        {' '}
                        {h.at} · {h.actorName}
                      </Typography.Text>
                      {h.action !== '登记' && h.changes.length > 0 && (
                        <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
                          {h.changes.map((c) => (
                            <li key={c.field}>
                              {c.field}：{c.before || '（空）'} → {c.after || '（空）'}
                            </li>
                          ))}
                        </ul>
                      )}
                    </div>
                  ),
                }))}
              />
            )}
          </div>
        </Space>
      )}
    </Drawer>
  );
}
