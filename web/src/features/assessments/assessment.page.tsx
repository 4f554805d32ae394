import {
  ASSESSMENT_AUDIENCE_LABELS,
  type AssessmentAppeal,
  type AssessmentItem,
  type AssessmentSubjectResult,
} from '@kesu/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Skeleton,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { errorMessage, formatDateTime } from '../../lib/format';
import { fileUrl, scoreText, useAssessmentActions, useResults } from './assessments.api';
import { stateTag } from './assessments.page';
import { useProposeFromAssessment } from '../recognitions/recognitions.api';
import { RubricEditor } from './rubric-editor';

type Target = { subject: AssessmentSubjectResult; item: AssessmentItem } | null;

const isJudged = (i: AssessmentItem) =>
  i.rule.kind === 'evidence' || (i.rule.kind === 'veto' && i.rule.condition === 'manual');

/** One rubric: items, compute, results with explanations, overrides, appeal window and queue, freeze, publish. */
export function AssessmentPage() {
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const q = useResults(id);
  const a = useAssessmentActions();
  const [editing, setEditing] = useState(false);
  const [override, setOverride] = useState<Target>(null);
  const [overrideScore, setOverrideScore] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [answering, setAnswering] = useState<AssessmentAppeal | null>(null);
  const [decision, setDecision] = useState<'accept' | 'reject'>('accept');
  const [answer, setAnswer] = useState('');
  const [answerScore, setAnswerScore] = useState<number | null>(null);
  const [start, setStart] = useState('');
  const [veto, setVeto] = useState<Target>(null);
  const [vetoNote, setVetoNote] = useState('');
  const [end, setEnd] = useState('');
  const propose = useProposeFromAssessment();
  const [nominating, setNominating] = useState(false);
  const [top, setTop] = useState<number | null>(3);
  const [honour, setHonour] = useState('');

  if (q.isLoading) return <Skeleton active />;
  if (q.error || !q.data) return <Alert type="error" showIcon title={errorMessage(q.error)} />;
  const { rubric, subjects } = q.data;
  const manage = rubric.canManage && rubric.state !== 'frozen';
  const run = async (p: Promise<unknown>, ok: string) => {
    try {
      await p;
      message.success(ok);
      return true;
    } catch (e) {
      message.error(errorMessage(e));
      return false;
    }
  };
  const appeals = subjects.flatMap((s) => s.appeals);
  const itemTitle = (itemId: string) => rubric.items.find((i) => i.id === itemId)?.title ?? '';

  const columns = [
    { title: '名次', width: 60, render: (_: unknown, s: AssessmentSubjectResult) => s.rank ?? '—' },
    { title: '考核对象', width: 130, render: (_: unknown, s: AssessmentSubjectResult) => s.subjectName },
    ...rubric.items.map((i) => ({
      title: (
        <span title={i.ruleText}>
          {i.title}
          <br />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {i.rule.kind === 'veto' ? '否决项' : `${i.points} 分`}
          </Typography.Text>
        </span>
      ),
      width: 96,
      render: (_: unknown, s: AssessmentSubjectResult) => {
        const sc = s.items.find((x) => x.itemId === i.id);
        if (i.rule.kind === 'veto') return sc?.score ? <Tag color="red">否决</Tag> : '—';
        return (
          <span>
            {scoreText(sc?.score)}
            {sc?.overrideScore !== null && sc?.overrideScore !== undefined && (
              <Tag style={{ marginLeft: 4 }}>调</Tag>
            )}
          </span>
        );
      },
    })),
    { title: '总分', width: 70, render: (_: unknown, s: AssessmentSubjectResult) => scoreText(s.total) },
    {
      title: '等次',
      width: 80,
      render: (_: unknown, s: AssessmentSubjectResult) => (
        <Tag color={s.grade === '不合格' ? 'red' : s.grade === '优秀' ? 'green' : 'blue'}>{s.grade}</Tag>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/assessments">← 年度考核</Link>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {rubric.title}
          </Typography.Title>
          {stateTag(rubric)}
        </Space>
        {rubric.canManage && (
          <Space wrap>
            {rubric.state === 'draft' && <Button onClick={() => setEditing(true)}>编辑考核项目</Button>}
            {rubric.state !== 'frozen' && (
              <Button
                type={rubric.state === 'draft' ? 'primary' : 'default'}
                loading={a.compute.isPending}
                onClick={() => void run(a.compute.mutateAsync(rubric.id), '已按最新数据计算')}
              >
                {rubric.state === 'draft' ? '计算得分' : '重新计算'}
              </Button>
            )}
            {rubric.state === 'computed' && (
              <Popconfirm
                title="定稿后结果和排名不能再修改，确定定稿？"
                okText="定稿"
                cancelText="取消"
                onConfirm={() => void run(a.freeze.mutateAsync(rubric.id), '已定稿并排名')}
              >
                <Button type="primary" disabled={rubric.openAppeals > 0}>
                  定稿排名
                </Button>
              </Popconfirm>
            )}
            {rubric.state === 'frozen' && !rubric.publishedAt && (
              <Popconfirm
                title="发布后公众可在公开页面看到排名和等次，确定发布？"
                okText="发布"
                cancelText="取消"
                onConfirm={() => void run(a.publish.mutateAsync(rubric.id), '已向社会公开')}
              >
                <Button type="primary">向社会公开</Button>
              </Popconfirm>
            )}
            {rubric.state === 'frozen' && (
              <Button
                onClick={() => {
                  setHonour(
                    `${rubric.year}年度全民科学素质工作先进${rubric.audience === 'counties' ? '县（市、区）' : '单位'}`,
                  );
                  setNominating(true);
                }}
              >
                提名表彰
              </Button>
            )}
          </Space>
        )}
      </Space>
      <Descriptions size="small" bordered column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label="年度">{rubric.year}年</Descriptions.Item>
        <Descriptions.Item label="考核对象">{ASSESSMENT_AUDIENCE_LABELS[rubric.audience]}</Descriptions.Item>
        <Descriptions.Item label="基本分">{rubric.basePoints} 分</Descriptions.Item>
        <Descriptions.Item label="数据截至">{rubric.asOf ?? '尚未计算'}</Descriptions.Item>
        <Descriptions.Item label="申诉期">
          {rubric.appealStart ? `${rubric.appealStart} 至 ${rubric.appealEnd}` : '未开放'}
        </Descriptions.Item>
        <Descriptions.Item label="定稿时间">{formatDateTime(rubric.frozenAt)}</Descriptions.Item>
      </Descriptions>
      {rubric.openAppeals > 0 && rubric.canManage && (
        <Alert type="warning" showIcon title={`还有 ${rubric.openAppeals} 条申诉未答复，答复后才能定稿`} />
      )}
      {manage && rubric.state === 'computed' && (
        <Card size="small" title="申诉期">
          <Space wrap>
            <span>开始</span>
            <Input
              type="date"
              aria-label="申诉开始日期"
              style={{ width: 160 }}
              value={start || rubric.appealStart || ''}
              onChange={(e) => setStart(e.target.value)}
            />
            <span>截止</span>
            <Input
              type="date"
              aria-label="申诉截止日期"
              style={{ width: 160 }}
              value={end || rubric.appealEnd || ''}
              onChange={(e) => setEnd(e.target.value)}
            />
            <Button
              loading={a.window.isPending}
              onClick={() =>
                void run(
                  a.window.mutateAsync({
                    id: rubric.id,
                    body: {
                      appealStart: start || rubric.appealStart || '',
                      appealEnd: end || rubric.appealEnd || '',
                      version: rubric.version,
                    },
                  }),
                  '已设置申诉期',
                )
              }
            >
              开放申诉
            </Button>
          </Space>
        </Card>
      )}
      <Tabs
        items={[
          {
            key: 'results',
            label: '考核结果',
            children:
              subjects.length === 0 ? (
                <Empty
                  description={rubric.state === 'draft' ? '尚未计算，请先点击“计算得分”' : '没有考核对象'}
                />
              ) : (
                <Table<AssessmentSubjectResult>
                  rowKey="subjectId"
                  size="small"
                  dataSource={subjects}
                  columns={columns}
                  scroll={{ x: 'max-content' }}
                  pagination={{ pageSize: 20, hideOnSinglePage: true }}
                  expandable={{
                    expandRowByClick: false,
                    expandedRowRender: (s) => (
                      <Space orientation="vertical" style={{ width: '100%' }}>
                        {s.vetoed && (
                          <Alert type="error" showIcon title={`一票否决：${s.vetoReason ?? ''}`} />
                        )}
                        {rubric.items.map((i) => {
                          const sc = s.items.find((x) => x.itemId === i.id);
                          return (
                            <div key={i.id}>
                              <Space wrap size={4}>
                                <Typography.Text strong>{i.title}</Typography.Text>
                                <span>
                                  计算 {scoreText(sc?.computed)}
                                  {sc?.overrideScore !== null && sc?.overrideScore !== undefined && (
                                    <>
                                      {' '}
                                      → 调整为 {scoreText(sc.overrideScore)}（{sc.overrideReason}）
                                    </>
                                  )}
                                </span>
                                {manage && (
                                  <Button
                                    size="small"
                                    type="link"
                                    onClick={() => {
                                      setOverride({ subject: s, item: i });
                                      setOverrideScore(sc?.score ?? null);
                                      setReason('');
                                    }}
                                  >
                                    调整分数
                                  </Button>
                                )}
                                {manage && isJudged(i) && (
                                  <>
                                    <Button
                                      size="small"
                                      onClick={() => {
                                        if (i.rule.kind === 'veto') {
                                          setVeto({ subject: s, item: i });
                                          setVetoNote('');
                                          return;
                                        }
                                        const note = '';
                                        void run(
                                          a.mark.mutateAsync({
                                            id: rubric.id,
                                            itemId: i.id,
                                            body: { subjectId: s.subjectId, met: true, note },
                                          }),
                                          '已认定',
                                        );
                                      }}
                                    >
                                      {i.rule.kind === 'veto' ? '认定否决' : '认定完成'}
                                    </Button>
                                    <Button
                                      size="small"
                                      onClick={() =>
                                        void run(
                                          a.mark.mutateAsync({
                                            id: rubric.id,
                                            itemId: i.id,
                                            body: { subjectId: s.subjectId, met: false, note: '' },
                                          }),
                                          '已认定',
                                        )
                                      }
                                    >
                                      {i.rule.kind === 'veto' ? '不否决' : '认定未完成'}
                                    </Button>
                                  </>
                                )}
                              </Space>
                              <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
                                {sc?.explanation}
                              </Typography.Paragraph>
                              {sc?.evidence.map((f) => (
                                <div key={f.id}>
                                  佐证：
                                  {f.fileName ? <a href={fileUrl(rubric.id, f.id)}>{f.fileName}</a> : null}
                                  {f.note}{' '}
                                  {f.link && (
                                    <a href={f.link} target="_blank" rel="noreferrer">
                                      {f.link}
                                    </a>
                                  )}
                                </div>
                              ))}
                            </div>
                          );
                        })}
                      </Space>
                    ),
                  }}
                />
              ),
          },
          {
            key: 'appeals',
            label: `申诉（${appeals.length}）`,
            children: (
              <Table<AssessmentAppeal>
                rowKey="id"
                size="small"
                dataSource={appeals}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                locale={{ emptyText: <Empty description="暂无申诉" /> }}
                columns={[
                  { title: '考核对象', width: 120, dataIndex: 'subjectName' },
                  { title: '项目', width: 140, render: (_, x) => itemTitle(x.itemId) },
                  { title: '申诉理由', render: (_, x) => x.text },
                  {
                    title: '附件',
                    width: 140,
                    render: (_, x) =>
                      x.files.map((f) => (
                        <div key={f.id}>
                          <a href={fileUrl(rubric.id, f.id)}>{f.fileName}</a>
                        </div>
                      )),
                  },
                  { title: '提出时间', width: 150, render: (_, x) => formatDateTime(x.createdAt) },
                  {
                    title: '答复',
                    width: 220,
                    render: (_, x) =>
                      x.state === 'open' ? (
                        manage ? (
                          <Button
                            size="small"
                            type="primary"
                            onClick={() => {
                              setAnswering(x);
                              setDecision('accept');
                              setAnswer('');
                              setAnswerScore(null);
                            }}
                          >
                            答复
                          </Button>
                        ) : (
                          <Tag color="orange">待答复</Tag>
                        )
                      ) : (
                        <span>
                          <Tag color={x.state === 'accepted' ? 'green' : 'default'}>
                            {x.state === 'accepted'
                              ? `采纳，调整为 ${scoreText(x.answeredScore)} 分`
                              : '不予采纳'}
                          </Tag>
                          {x.answer}
                        </span>
                      ),
                  },
                ]}
              />
            ),
          },
          {
            key: 'items',
            label: '考核项目',
            children: (
              <Table<AssessmentItem>
                rowKey="id"
                size="small"
                dataSource={rubric.items}
                pagination={false}
                locale={{ emptyText: <Empty description="还没有考核项目" /> }}
                columns={[
                  { title: '序号', width: 60, dataIndex: 'sortOrder' },
                  { title: '考核项目', width: 200, dataIndex: 'title' },
                  {
                    title: '分值',
                    width: 80,
                    render: (_, i) => (i.rule.kind === 'veto' ? '—' : `${i.points} 分`),
                  },
                  { title: '计分规则', dataIndex: 'ruleText' },
                ]}
              />
            ),
          },
        ]}
      />
      <RubricEditor
        key={`edit-${String(editing)}`}
        open={editing}
        heading="编辑考核项目"
        title={rubric.title}
        items={rubric.items.map((i) => ({ title: i.title, points: i.points, rule: i.rule }))}
        saving={a.update.isPending}
        onCancel={() => setEditing(false)}
        onSave={async (title, items) => {
          if (
            await run(
              a.update.mutateAsync({ id: rubric.id, body: { title, items, version: rubric.version } }),
              '已保存',
            )
          )
            setEditing(false);
        }}
      />
      <Modal
        open={override !== null}
        title={override ? `调整分数：${override.subject.subjectName} · ${override.item.title}` : ''}
        okText="保存"
        cancelText="取消"
        confirmLoading={a.override.isPending}
        onCancel={() => setOverride(null)}
        onOk={async () => {
          if (!override) return;
          if (!reason.trim()) return void message.warning('调整分数须填写理由');
          if (
            await run(
              a.override.mutateAsync({
                id: rubric.id,
                itemId: override.item.id,
                body: { subjectId: override.subject.subjectId, score: overrideScore, reason },
              }),
              '已调整',
            )
          )
            setOverride(null);
        }}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            计算得分{' '}
            {scoreText(override?.subject.items.find((x) => x.itemId === override?.item.id)?.computed)}{' '}
            分；留空并保存即撤销调整。
            {override?.item.rule.kind === 'veto' ? '否决项填 1（否决）或 0（不否决）。' : ''}
            {override?.item.rule.kind === 'deduction' ? '扣分项填负数。' : ''}
          </Typography.Text>
          <InputNumber
            aria-label="调整后的分数"
            style={{ width: 200 }}
            value={overrideScore}
            onChange={setOverrideScore}
          />
          <Input.TextArea
            aria-label="调整理由"
            placeholder="调整理由（必填，记入审计日志）"
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </Space>
      </Modal>
      <Modal
        open={veto !== null}
        title={veto ? `认定一票否决：${veto.subject.subjectName}` : ''}
        okText="认定否决"
        okButtonProps={{ danger: true }}
        cancelText="取消"
        confirmLoading={a.mark.isPending}
        onCancel={() => setVeto(null)}
        onOk={async () => {
          if (!veto) return;
          if (!vetoNote.trim()) return void message.warning('认定一票否决须填写理由');
          if (
            await run(
              a.mark.mutateAsync({
                id: rubric.id,
                itemId: veto.item.id,
                body: { subjectId: veto.subject.subjectId, met: true, note: vetoNote },
              }),
              '已认定',
            )
          )
            setVeto(null);
        }}
      >
        <Input.TextArea
          aria-label="否决理由"
          placeholder="否决理由（必填，记入审计日志）"
          rows={3}
          value={vetoNote}
          onChange={(e) => setVetoNote(e.target.value)}
        />
      </Modal>
      <Modal
        open={answering !== null}
        title={answering ? `答复申诉：${answering.subjectName} · ${itemTitle(answering.itemId)}` : ''}
        okText="提交答复"
        cancelText="取消"
        confirmLoading={a.answer.isPending}
        onCancel={() => setAnswering(null)}
        onOk={async () => {
          if (!answering) return;
          if (!answer.trim()) return void message.warning('请填写答复');
          if (decision === 'accept' && answerScore === null)
            return void message.warning('采纳申诉须给出调整后的分数');
          if (
            await run(
              a.answer.mutateAsync({
                id: rubric.id,
                appealId: answering.id,
                body: { decision, answer, score: decision === 'accept' ? answerScore : null },
              }),
              '已答复',
            )
          )
            setAnswering(null);
        }}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph>{answering?.text}</Typography.Paragraph>
          <Radio.Group value={decision} onChange={(e) => setDecision(e.target.value)}>
            <Radio value="accept">采纳并调整分数</Radio>
            <Radio value="reject">不予采纳</Radio>
          </Radio.Group>
          {decision === 'accept' && (
            <InputNumber
              aria-label="调整后的分数"
              style={{ width: 200 }}
              value={answerScore}
              onChange={setAnswerScore}
            />
          )}
          <Input.TextArea
            aria-label="答复意见"
            placeholder="答复意见（必填）"
            rows={3}
            value={answer}
            onChange={(e) => setAnswer(e.target.value)}
          />
        </Space>
      </Modal>
      <Modal
        open={nominating}
        title="按考核排名提名表彰"
        okText="提名"
        cancelText="取消"
        confirmLoading={propose.isPending}
        okButtonProps={{ disabled: !top || !honour.trim() }}
        onCancel={() => setNominating(false)}
        onOk={async () => {
          const ok = await run(
            propose.mutateAsync({ assessmentId: rubric.id, top: top ?? 3, title: honour.trim() }),
            '已提名，请到“表彰奖励”确认',
          );
          if (ok) setNominating(false);
        }}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            名次在前 N
            名内的考核对象（并列同计，一票否决者除外）将作为“拟表彰”记录，理由写明名次、总分和等次，确认后方可公开。
          </Typography.Text>
          <label htmlFor="nominate-top">前 N 名</label>
          <InputNumber id="nominate-top" min={1} max={50} value={top} onChange={(v) => setTop(v)} />
          <label htmlFor="nominate-title">荣誉称号</label>
          <Input
            id="nominate-title"
            maxLength={100}
            value={honour}
            onChange={(e) => setHonour(e.target.value)}
          />
        </Space>
      </Modal>
    </Space>
  );
}
