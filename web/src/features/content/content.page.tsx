import {
  CONTENT_AUDIENCE_LABELS,
  CONTENT_AUDIENCES,
  type ContentAudience,
  ContentInputSchema,
  type ContentItem,
} from '@kesu/shared';
import {
  Alert,
  App,
  Button,
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
import { useState } from 'react';
import { serverPagination } from '../../components/server-pagination';
import { applyServerFieldErrors, validateWith } from '../../lib/form-errors';
import { errorMessage } from '../../lib/format';
import { useDebounced } from '../../lib/use-debounced';
import { useJurisdictions } from '../jurisdictions/jurisdictions.api';
import { useContentList, useCreateContent, useDeleteContent, useUpdateContent } from './content.api';

const audienceOptions = CONTENT_AUDIENCES.map((a) => ({ value: a, label: CONTENT_AUDIENCE_LABELS[a] }));

/** 科普内容: what this level publishes for 精准推送 (list, create, edit, delete with confirmation). */
export function ContentPage() {
  const { message } = App.useApp();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [search, setSearch] = useState('');
  const [audience, setAudience] = useState<ContentAudience | undefined>();
  const q = useDebounced(search, 300);
  const list = useContentList({ ...page, q: q || undefined, audience });
  const del = useDeleteContent();
  const [editing, setEditing] = useState<ContentItem | 'new' | null>(null);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          科普内容
        </Typography.Title>
        <Space wrap>
          <Input.Search
            allowClear
            placeholder="搜索标题或摘要"
            style={{ width: 220 }}
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPage((p) => ({ ...p, page: 1 }));
            }}
          />
          <Select
            allowClear
            placeholder="受众"
            style={{ width: 160 }}
            value={audience}
            onChange={(v) => {
              setAudience(v);
              setPage((p) => ({ ...p, page: 1 }));
            }}
            options={audienceOptions}
          />
          <Button type="primary" onClick={() => setEditing('new')}>
            发布内容
          </Button>
        </Space>
      </Space>
      <Typography.Text type="secondary">
        发布的内容会出现在公众页面“为您推荐”中：按读者选择的县区和人群推荐，并说明推荐原因。
      </Typography.Text>
      {list.isError && <Alert type="error" showIcon message={errorMessage(list.error)} />}
      <Table<ContentItem>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '暂无科普内容，点击“发布内容”添加' }}
        pagination={serverPagination(page, list.data?.total, (p, s) => setPage({ page: p, pageSize: s }))}
        columns={[
          {
            title: '标题',
            key: 'title',
            render: (_, r) => (
              <Space direction="vertical" size={0} style={{ maxWidth: 360 }}>
                {r.url ? (
                  <a href={r.url} target="_blank" rel="noopener noreferrer">
                    {r.title}
                  </a>
                ) : (
                  r.title
                )}
                <Typography.Text type="secondary" ellipsis style={{ maxWidth: 360 }}>
                  {r.summary}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: '受众',
            key: 'aud',
            render: (_, r) => r.audiences.map((a) => <Tag key={a}>{CONTENT_AUDIENCE_LABELS[a]}</Tag>),
          },
          {
            title: '主题',
            key: 'themes',
            render: (_, r) =>
              r.themes.map((t) => (
                <Tag key={t} color="blue">
                  {t}
                </Tag>
              )),
          },
          {
            title: '推送范围',
            key: 'scope',
            render: (_, r) =>
              r.jurisdictionNames.length ? r.jurisdictionNames.join('、') : `${r.jurisdictionName}全域`,
          },
          { title: '发布单位', dataIndex: 'jurisdictionName', key: 'pub' },
          {
            title: '发布日期',
            key: 'on',
            render: (_, r) => (
              <Space size={4}>
                {r.publishedOn}
                {r.isDemo && <Tag>演示数据</Tag>}
              </Space>
            ),
          },
          {
            title: '操作',
            key: 'ops',
            render: (_, r) =>
              r.canEdit ? (
                <Space>
                  <Button size="small" onClick={() => setEditing(r)}>
                    编辑
                  </Button>
                  <Popconfirm
                    title={`删除“${r.title}”？`}
                    description="删除后公众页面不再推荐该内容。"
                    okText="删除"
                    okButtonProps={{ danger: true }}
                    cancelText="取消"
                    onConfirm={() =>
                      del.mutateAsync(r.id).then(
                        () => message.success('已删除'),
                        (e) => message.error(errorMessage(e)),
                      )
                    }
                  >
                    <Button size="small" danger>
                      删除
                    </Button>
                  </Popconfirm>
                </Space>
              ) : (
                <Typography.Text type="secondary">下级发布</Typography.Text>
              ),
          },
        ]}
      />
      {editing && <ContentForm item={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Space>
  );
}

function ContentForm({ item, onClose }: { item: ContentItem | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const create = useCreateContent();
  const update = useUpdateContent();
  const jurisdictions = useJurisdictions();
  const [formError, setFormError] = useState<string | null>(null);
  const pending = create.isPending || update.isPending;

  const onOk = async () => {
    const raw = form.getFieldsValue();
    const values = {
      title: raw.title ?? '',
      summary: raw.summary ?? '',
      url: raw.url?.trim() ? raw.url.trim() : null,
      themes: raw.themes ?? [],
      audiences: raw.audiences ?? [],
      jurisdictionIds: raw.jurisdictionIds ?? [],
      publishedOn: raw.publishedOn ? dayjs(raw.publishedOn).format('YYYY-MM-DD') : '',
    };
    const checked = validateWith(ContentInputSchema, values, form);
    if (!checked.ok) return;
    setFormError(null);
    try {
      if (item) await update.mutateAsync({ id: item.id, body: { ...checked.data, version: item.version } });
      else await create.mutateAsync(checked.data);
      message.success(item ? '已保存' : '已发布');
      onClose();
    } catch (e) {
      if (!applyServerFieldErrors(e, form)) setFormError(errorMessage(e));
    }
  };

  return (
    <Modal
      open
      title={item ? '编辑科普内容' : '发布科普内容'}
      okText={item ? '保存' : '发布'}
      cancelText="取消"
      onOk={onOk}
      confirmLoading={pending}
      onCancel={onClose}
      width={640}
      destroyOnHidden
    >
      {formError && <Alert type="error" showIcon message={formError} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={
          item
            ? { ...item, url: item.url ?? '', publishedOn: dayjs(item.publishedOn) }
            : { audiences: ['public'], themes: [], jurisdictionIds: [], publishedOn: dayjs() }
        }
      >
        <Form.Item name="title" label="标题" required>
          <Input maxLength={100} showCount />
        </Form.Item>
        <Form.Item name="summary" label="摘要" required>
          <Input.TextArea maxLength={1000} rows={3} showCount />
        </Form.Item>
        <Form.Item name="url" label="链接" extra="以 http:// 或 https:// 开头，可不填">
          <Input placeholder="https://" maxLength={500} />
        </Form.Item>
        <Form.Item name="audiences" label="受众" required>
          <Select mode="multiple" options={audienceOptions} />
        </Form.Item>
        <Form.Item name="themes" label="主题标签" extra="自由填写，最多 10 个，回车添加">
          <Select mode="tags" tokenSeparators={[',', '，']} open={false} />
        </Form.Item>
        <Form.Item name="jurisdictionIds" label="推送范围" extra="不选则推送到本级全域">
          <Select
            mode="multiple"
            options={(jurisdictions.data?.items ?? []).map((j) => ({ value: j.id, label: j.name }))}
          />
        </Form.Item>
        <Form.Item name="publishedOn" label="发布日期" required>
          <DatePicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}
