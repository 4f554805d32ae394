import {
  NOTICE_LINK_TYPE_LABELS,
  NOTICE_LINK_TYPES,
  NOTICE_SEVERITIES,
  NOTICE_SEVERITY_LABELS,
  NOTICE_SEVERITY_MEANINGS,
  NoticeCreateSchema,
  type NoticeLinkType,
  type NoticeSeverity,
} from '@kesu/shared';
import { Alert, App, DatePicker, Form, Input, Modal, Radio, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { isApiError } from '../../api/client';
import { UnitSelect } from '../units/unit-select';
import { errorMessage } from '../../lib/format';
import { useDebounced } from '../../lib/use-debounced';
import { useIssueNotice, useLinkTargets } from './supervision.api';

/** What the form starts from: blank, or an alert's proposal (转为督办). */
export interface NoticeDraft {
  unitId: string | null;
  unitName?: string | null;
  subject: string;
  content: string;
  severity: NoticeSeverity;
  deadline: string | null;
  /** With the name shown for it (an alert's proposal carries it). */
  link: { entityType: NoticeLinkType; entityId: string; label?: string } | null;
  alertKey: string | null;
}

export const BLANK_DRAFT: NoticeDraft = {
  unitId: null,
  subject: '',
  content: '',
  severity: 'yellow',
  deadline: null,
  link: null,
  alertKey: null,
};

interface Values {
  unitId: string | null;
  severity: NoticeSeverity;
  deadline: Dayjs | null;
  subject: string;
  content: string;
  linkType: NoticeLinkType | null;
  linkId: string | null;
}

interface Props {
  open: boolean;
  draft: NoticeDraft;
  onClose: () => void;
}

/**
 * 交办督办单: unit, colour (with its meaning), deadline, subject, content and an optional link. The shared schema
 * checks the form before anything is sent; the server checks the link exists. On success it opens the notice.
 */
export function NoticeFormModal({ open, draft, onClose }: Props) {
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const issue = useIssueNotice();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const severity = Form.useWatch('severity', form) ?? draft.severity;
  const linkType = Form.useWatch('linkType', form) ?? null;

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.setFieldsValue({
      unitId: draft.unitId,
      severity: draft.severity,
      deadline: draft.deadline ? dayjs(draft.deadline) : null,
      subject: draft.subject,
      content: draft.content,
      linkType: draft.link?.entityType ?? null,
      linkId: draft.link?.entityId ?? null,
    });
  }, [open, draft, form]);

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return; // antd shows each field's message
    }
    const body = {
      unitId: v.unitId ?? '',
      subject: v.subject ?? '',
      content: v.content ?? '',
      severity: v.severity,
      deadline: v.deadline ? v.deadline.format('YYYY-MM-DD') : '',
      link: v.linkType && v.linkId ? { entityType: v.linkType, entityId: v.linkId } : null,
      alertKey: draft.alertKey,
    };
    const parsed = NoticeCreateSchema.safeParse(body);
    if (!parsed.success) {
      const fields = new Map<string, string>();
      for (const i of parsed.error.issues) {
        const head = String(i.path[0] ?? '');
        const name = head === 'link' ? 'linkId' : head;
        if (!fields.has(name)) fields.set(name, i.message);
      }
      form.setFields([...fields].map(([name, msg]) => ({ name: name as keyof Values, errors: [msg] })));
      return;
    }
    setError(null);
    issue.mutate(body, {
      onSuccess: (n) => {
        void message.success(`已交办：${n.unitName}`);
        onClose();
        navigate(`/supervision/notices/${n.id}`);
      },
      onError: (e) => setError(isApiError(e) ? e.message : errorMessage(e)),
    });
  };

  return (
    <Modal
      title={draft.alertKey ? '转为督办' : '交办督办单'}
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="交办"
      cancelText="取消"
      confirmLoading={issue.isPending}
      destroyOnHidden
      width={640}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<Values> form={form} layout="vertical" onFinish={() => void submit()}>
        <Form.Item name="unitId" label="承办单位" rules={[{ required: true, message: '请选择承办单位' }]}>
          <UnitSelect id="notice-unit" selectedLabel={draft.unitName ?? null} allowClear={false} />
        </Form.Item>
        <Space wrap align="start" size="large">
          <Form.Item name="severity" label="督办等级" rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={NOTICE_SEVERITIES.map((s) => ({ value: s, label: NOTICE_SEVERITY_LABELS[s] }))}
            />
          </Form.Item>
          <Form.Item name="deadline" label="办理期限" rules={[{ required: true, message: '请选择办理期限' }]}>
            <DatePicker
              id="notice-deadline"
              disabledDate={(d) => d.isBefore(dayjs().startOf('day'))}
              placeholder="选择日期"
            />
          </Form.Item>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {NOTICE_SEVERITY_MEANINGS[severity]}
        </Typography.Paragraph>
        <Form.Item name="subject" label="督办事项" rules={[{ required: true, message: '督办事项不能为空' }]}>
          <Input maxLength={200} showCount />
        </Form.Item>
        <Form.Item name="content" label="督办内容" rules={[{ required: true, message: '督办内容不能为空' }]}>
          <Input.TextArea rows={4} maxLength={5000} />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="linkType" label="关联对象（可选）" style={{ width: 140 }}>
            <Select<NoticeLinkType>
              allowClear
              placeholder="类型"
              aria-label="关联对象类型"
              options={NOTICE_LINK_TYPES.map((t) => ({ value: t, label: NOTICE_LINK_TYPE_LABELS[t] }))}
              onChange={() => form.setFieldValue('linkId', null)}
            />
          </Form.Item>
          <Form.Item name="linkId" label="名称" style={{ flex: 1, minWidth: 0 }}>
            <LinkTargetSelect
              type={linkType}
              selected={
                draft.link && draft.link.entityType === linkType && draft.link.label
                  ? { id: draft.link.entityId, label: draft.link.label }
                  : null
              }
            />
          </Form.Item>
        </Space.Compact>
      </Form>
    </Modal>
  );
}

/**
 * The record a notice is about, searched by name within the chosen type (tasks and indicators of each plan's newest
 * version, reports by unit, cycle or task, cycles by name). Never asks for an internal 编号.
 */
function LinkTargetSelect({
  type,
  selected,
  value,
  onChange,
}: {
  type: NoticeLinkType | null;
  selected: { id: string; label: string } | null;
  value?: string | null;
  onChange?: (v: string | null) => void;
}) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const list = useLinkTargets(type, q);
  const options = useMemo(() => {
    const opts = (list.data?.items ?? []).map((t) => ({
      value: t.id,
      label: t.label,
      title: t.context,
    }));
    if (value && selected && selected.id === value && !opts.some((o) => o.value === value)) {
      opts.unshift({ value, label: selected.label, title: '' });
    }
    return opts;
  }, [list.data, value, selected]);
  return (
    <Select
      aria-label="关联对象名称"
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      options={options}
      optionRender={(o) => (
        <div>
          <div style={{ whiteSpace: 'normal' }}>{o.label}</div>
          {o.data.title && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {o.data.title}
            </Typography.Text>
          )}
        </div>
      )}
      disabled={type === null}
      allowClear
      loading={list.isFetching}
      placeholder={type === null ? '先选择类型' : '输入名称搜索'}
      notFoundContent={list.isFetching ? '搜索中…' : '没有匹配的对象'}
      style={{ width: '100%' }}
    />
  );
}
