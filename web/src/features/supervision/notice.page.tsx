import {
  NOTICE_ACTION_LABELS,
  NOTICE_LINK_TYPE_LABELS,
  NOTICE_SEVERITY_LABELS,
  NOTICE_SEVERITY_MEANINGS,
  NOTICE_STATE_LABELS,
  type NoticeDetail,
} from '@kesu/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Input,
  Modal,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { DocumentDownloadButtons } from '../../components/document-download';
import { errorMessage, formatDateTime } from '../../lib/format';
import { type NoticeStepName, useNotice, useNoticeStep } from './supervision.api';
import { NOTICE_STATE_COLORS, SEVERITY_COLORS } from './supervision.labels';

/** Where a linked record is shown in the app. */
function linkPath(n: NoticeDetail): string | null {
  if (!n.link) return null;
  switch (n.link.entityType) {
    case 'report':
      return `/reporting/reports/${n.link.entityId}`;
    case 'indicator':
    case 'cycle':
      return '/reporting/indicators';
    default:
      return null;
  }
}

/** Steps that need a comment (回复, 退回) or a confirmation (销号, 办结). */
const STEP_TEXT: Record<NoticeStepName, { needsComment: boolean; confirm: string; placeholder: string }> = {
  sign: { needsComment: false, confirm: '确认签收该督办单？', placeholder: '签收说明（可选）' },
  reply: { needsComment: true, confirm: '', placeholder: '办理进展、采取的措施' },
  finish: {
    needsComment: false,
    confirm: '确认办结？办结后由市纲要办审核销号。',
    placeholder: '办结情况（可选）',
  },
  return: { needsComment: true, confirm: '', placeholder: '退回意见：还需补充或整改什么' },
  close: {
    needsComment: false,
    confirm: '确认销号？销号后该督办单办理完毕，不能再变更。',
    placeholder: '销号意见（可选）',
  },
};

/** /supervision/notices/:id — the notice, the timeline of its steps, and what the signed-in user may do now. */
export function NoticePage() {
  const { id = '' } = useParams();
  const q = useNotice(id);
  const stepMutation = useNoticeStep(id);
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<NoticeStepName | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);

  if (q.isPending) return <Spin style={{ display: 'block', margin: '80px auto' }} />;
  if (q.isError) return <Alert type="error" showIcon title={errorMessage(q.error)} />;
  const n = q.data;
  const path = linkPath(n);

  const run = (step: NoticeStepName, text: string) =>
    stepMutation.mutate(
      { step, version: n.version, comment: text },
      {
        onSuccess: () => {
          void message.success(`已${NOTICE_ACTION_LABELS[step]}`);
          setDialog(null);
          setComment('');
          setError(null);
        },
        onError: (e) => {
          const text = isApiError(e) ? e.message : errorMessage(e);
          if (dialog) setError(text);
          else void message.error(text);
          if (isApiError(e) && (e.code === 'CONFLICT' || e.code === 'NOTICE_INVALID_TRANSITION'))
            void q.refetch();
        },
      },
    );
  const openDialog = (step: NoticeStepName) => {
    setComment('');
    setError(null);
    setDialog(step);
  };
  const buttons: { step: NoticeStepName; primary?: boolean; danger?: boolean }[] = [
    ...(n.can.sign ? [{ step: 'sign' as const, primary: true }] : []),
    ...(n.can.reply ? [{ step: 'reply' as const }] : []),
    ...(n.can.finish ? [{ step: 'finish' as const, primary: true }] : []),
    ...(n.can.close ? [{ step: 'close' as const, primary: true }] : []),
    ...(n.can.return ? [{ step: 'return' as const, danger: true }] : []),
  ];
  const current = dialog ? STEP_TEXT[dialog] : null;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space wrap>
            <Tag color={SEVERITY_COLORS[n.severity]}>{NOTICE_SEVERITY_LABELS[n.severity]}</Tag>
            <span>{n.subject}</span>
          </Space>
        }
        extra={
          <Space wrap>
            <DocumentDownloadButtons kind="notice" query={{ noticeId: n.id }} />
            {buttons.map((b) => (
              <Button
                key={b.step}
                type={b.primary ? 'primary' : 'default'}
                danger={b.danger}
                onClick={() => openDialog(b.step)}
              >
                {NOTICE_ACTION_LABELS[b.step]}
              </Button>
            ))}
          </Space>
        }
      >
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label="承办单位">{n.unitName}</Descriptions.Item>
          <Descriptions.Item label="状态">
            <Space size={4}>
              <Tag color={NOTICE_STATE_COLORS[n.state]}>{NOTICE_STATE_LABELS[n.state]}</Tag>
              {n.isOverdue && <Tag color="red">已逾期</Tag>}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label="办理期限">{n.deadline}</Descriptions.Item>
          <Descriptions.Item label="交办">
            {n.issuedBy ?? '—'} · {formatDateTime(n.issuedAt)}
          </Descriptions.Item>
          {n.link && (
            <Descriptions.Item label={NOTICE_LINK_TYPE_LABELS[n.link.entityType]} span={2}>
              {path ? <Link to={path}>{n.link.label}</Link> : n.link.label}
            </Descriptions.Item>
          )}
          <Descriptions.Item label="督办等级说明" span={2}>
            {NOTICE_SEVERITY_MEANINGS[n.severity]}
          </Descriptions.Item>
        </Descriptions>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 12 }}>
          {n.content}
        </Typography.Paragraph>
      </Card>
      <Card title="办理过程">
        <Timeline
          items={n.events.map((e) => ({
            color: e.action === 'return' ? 'red' : e.action === 'close' ? 'gray' : 'blue',
            content: (
              <div>
                <Typography.Text strong>{NOTICE_ACTION_LABELS[e.action]}</Typography.Text>{' '}
                <Typography.Text type="secondary">
                  {e.actorName ?? '—'} · {formatDateTime(e.at)}
                  {e.fromState !== e.toState && ` · ${NOTICE_STATE_LABELS[e.toState]}`}
                </Typography.Text>
                {e.comment && <div style={{ whiteSpace: 'pre-wrap' }}>{e.comment}</div>}
              </div>
            ),
          }))}
        />
      </Card>
      <Modal
        title={dialog ? NOTICE_ACTION_LABELS[dialog] : ''}
        open={dialog !== null}
        onCancel={() => setDialog(null)}
        okText={dialog ? `确认${NOTICE_ACTION_LABELS[dialog]}` : '确认'}
        cancelText="取消"
        okButtonProps={{ danger: dialog === 'return', disabled: !!current?.needsComment && !comment.trim() }}
        confirmLoading={stepMutation.isPending}
        onOk={() => dialog && run(dialog, comment)}
        destroyOnHidden
      >
        {current?.confirm && <Typography.Paragraph>{current.confirm}</Typography.Paragraph>}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Input.TextArea
          aria-label={current?.placeholder}
          placeholder={current?.placeholder}
          rows={4}
          maxLength={2000}
          value={comment}
          autoFocus
          onChange={(e) => setComment(e.target.value)}
        />
      </Modal>
    </Space>
  );
}
