import type { AssessmentItem, MyAssessments } from '@kesu/shared';
import { Alert, App, Button, Card, Empty, Input, List, Modal, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { errorMessage, formatDateTime } from '../../lib/format';
import {
  fileUrl,
  scoreText,
  uploadAssessmentFile,
  useAssessmentActions,
  useMyAssessments,
} from './assessments.api';
import { stateTag } from './assessments.page';

type Entry = MyAssessments['items'][number];

/** 我的考核: a unit's (or a county admin's county's) scores per item with explanations, appeals within the window. */
export function MyAssessmentsPage() {
  const { message } = App.useApp();
  const q = useMyAssessments();
  const a = useAssessmentActions();
  const [target, setTarget] = useState<{ entry: Entry; item: AssessmentItem } | null>(null);
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [sending, setSending] = useState(false);

  const send = async () => {
    if (!target) return;
    if (!text.trim()) return void message.warning('请填写申诉理由');
    setSending(true);
    try {
      const made = (await a.appeal.mutateAsync({
        id: target.entry.rubric.id,
        itemId: target.item.id,
        body: { subjectId: target.entry.result.subjectId, text },
      })) as { id: string };
      for (const f of files)
        await uploadAssessmentFile(
          `/api/v1/assessments/${target.entry.rubric.id}/appeals/${made.id}/files`,
          f,
        );
      message.success('已提交申诉');
      setTarget(null);
      void q.refetch();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSending(false);
    }
  };

  const addEvidence = async (entry: Entry, item: AssessmentItem, f: File) => {
    try {
      await uploadAssessmentFile(
        `/api/v1/assessments/${entry.rubric.id}/items/${item.id}/evidence/files?subjectId=${entry.result.subjectId}`,
        f,
      );
      message.success('已上传佐证材料，管理员认定后计分');
      void q.refetch();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        我的考核
      </Typography.Title>
      {q.isLoading && <Skeleton active />}
      {q.error && <Alert type="error" showIcon title={errorMessage(q.error)} />}
      {q.data && q.data.items.length === 0 && <Empty description="暂无已计算的考核" />}
      {q.data?.items.map((entry) => {
        const { rubric, result } = entry;
        return (
          <Card
            key={rubric.id}
            title={
              <Space wrap>
                {rubric.title}
                {stateTag(rubric)}
              </Space>
            }
          >
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Space wrap>
                <Typography.Text strong>{result.subjectName}</Typography.Text>
                <span>总分 {scoreText(result.total)}</span>
                <Tag color={result.grade === '不合格' ? 'red' : 'blue'}>{result.grade}</Tag>
                {rubric.state === 'frozen' && <span>第 {result.rank} 名</span>}
                <Typography.Text type="secondary">数据截至 {rubric.asOf}</Typography.Text>
              </Space>
              {result.vetoed && (
                <Alert type="error" showIcon title={`一票否决：${result.vetoReason ?? ''}`} />
              )}
              <Typography.Text type="secondary">
                {entry.appealOpen
                  ? `申诉期 ${rubric.appealStart} 至 ${rubric.appealEnd}，对得分有异议可逐项申诉。`
                  : rubric.appealStart
                    ? `申诉期为 ${rubric.appealStart} 至 ${rubric.appealEnd}，当前不在申诉期内。`
                    : '尚未开放申诉。'}
              </Typography.Text>
              <List
                bordered
                dataSource={rubric.items}
                renderItem={(item) => {
                  const sc = result.items.find((x) => x.itemId === item.id);
                  const mine = result.appeals.filter((x) => x.itemId === item.id);
                  return (
                    <List.Item>
                      <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                        <Space wrap>
                          <Typography.Text strong>{item.title}</Typography.Text>
                          <span>
                            {item.rule.kind === 'veto'
                              ? sc?.score
                                ? '否决'
                                : '未触发'
                              : `${scoreText(sc?.score)} / ${item.points} 分`}
                          </span>
                          {sc?.overrideReason && <Tag>已调整：{sc.overrideReason}</Tag>}
                          {item.rule.kind === 'evidence' && rubric.state !== 'frozen' && (
                            <label className="ant-btn ant-btn-sm" style={{ cursor: 'pointer' }}>
                              上传佐证
                              <input
                                type="file"
                                hidden
                                accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx"
                                onChange={(e) => {
                                  const f = e.target.files?.[0];
                                  if (f) void addEvidence(entry, item, f);
                                }}
                              />
                            </label>
                          )}
                          {entry.appealOpen && (
                            <Button
                              size="small"
                              onClick={() => {
                                setTarget({ entry, item });
                                setText('');
                                setFiles([]);
                              }}
                            >
                              申诉
                            </Button>
                          )}
                        </Space>
                        <Typography.Text type="secondary">{sc?.explanation}</Typography.Text>
                        {sc?.evidence.map((f) => (
                          <div key={f.id}>
                            佐证：{f.fileName ? <a href={fileUrl(rubric.id, f.id)}>{f.fileName}</a> : f.note}
                          </div>
                        ))}
                        {mine.map((x) => (
                          <div key={x.id}>
                            <Tag
                              color={
                                x.state === 'open' ? 'orange' : x.state === 'accepted' ? 'green' : 'default'
                              }
                            >
                              {x.state === 'open'
                                ? '申诉待答复'
                                : x.state === 'accepted'
                                  ? '申诉已采纳'
                                  : '申诉未采纳'}
                            </Tag>
                            {x.text}（{formatDateTime(x.createdAt)}）
                            {x.files.map((f) => (
                              <a key={f.id} href={fileUrl(rubric.id, f.id)} style={{ marginLeft: 8 }}>
                                {f.fileName}
                              </a>
                            ))}
                            {x.answer && <div>答复：{x.answer}</div>}
                          </div>
                        ))}
                      </Space>
                    </List.Item>
                  );
                }}
              />
            </Space>
          </Card>
        );
      })}
      <Modal
        open={target !== null}
        title={target ? `申诉：${target.item.title}` : ''}
        okText="提交申诉"
        cancelText="取消"
        confirmLoading={sending}
        onCancel={() => setTarget(null)}
        onOk={() => void send()}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input.TextArea
            aria-label="申诉理由"
            placeholder="申诉理由（必填）"
            rows={4}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <input
            aria-label="申诉材料"
            type="file"
            multiple
            accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx"
            onChange={(e) => setFiles([...(e.target.files ?? [])])}
          />
          <Typography.Text type="secondary">可附 PDF、图片或 Office 文档。</Typography.Text>
        </Space>
      </Modal>
    </Space>
  );
}
