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
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { isApiError } from '../../api/client';
import { UnitSelect } from '../../components/unit-select';
import { errorMessage } from '../../lib/format';
import { useIssueNotice } from './supervision.api';

/** What the form starts from: blank, or an alert's proposal (转为督办). */
export interface NoticeDraft {
  unitId: string | null;
  unitName?: string | null;
  subject: string;
  content: string;
  severity: NoticeSeverity;
  deadline: string | null;
  link: { entityType: NoticeLinkType; entityId: string } | null;
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
  linkId: string;
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
      linkId: draft.link?.entityId ?? '',
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
      link: v.linkType && v.linkId?.trim() ? { entityType: v.linkType, entityId: v.linkId.trim() } : null,
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
          <Form.Item name="linkType" label="关联对象（可选）" style={{ width: 160 }}>
            <Select<NoticeLinkType>
              allowClear
              placeholder="类型"
              aria-label="关联对象类型"
              options={NOTICE_LINK_TYPES.map((t) => ({ value: t, label: NOTICE_LINK_TYPE_LABELS[t] }))}
            />
          </Form.Item>
          <Form.Item name="linkId" label="编号" style={{ flex: 1 }}>
            <Input placeholder="任务、指标、报告或周期的编号" aria-label="关联对象编号" />
          </Form.Item>
        </Space.Compact>
      </Form>
    </Modal>
  );
}
