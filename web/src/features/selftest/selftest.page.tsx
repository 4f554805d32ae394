import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import {
  benchmarkLabel,
  ITEM_KIND_LABELS,
  type PublicItem,
  type SelfTestDraw,
  type SelfTestResult,
} from '@kesu/shared';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Flex,
  List,
  Popconfirm,
  Progress,
  Radio,
  Result,
  Segmented,
  Space,
  Tag,
  Typography,
} from 'antd';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { FullPageSpin } from '../auth/require-auth';
import { errorMessage } from '../../lib/format';
import { useSelfTestDraw, useSubmitSelfTest } from './selftest.api';

type Answers = Record<string, string[]>;

function optionText(item: { options: { key: string; text: string }[] }, keys: readonly string[]): string {
  if (keys.length === 0) return '未作答';
  return keys.map((k) => `${k}. ${item.options.find((o) => o.key === k)?.text ?? ''}`).join('；');
}

function Question({
  item,
  index,
  answer,
  onAnswer,
}: {
  item: PublicItem;
  index: number;
  answer: string[];
  onAnswer: (keys: string[]) => void;
}) {
  return (
    <div>
      <Space size={4} wrap style={{ marginBottom: 8 }}>
        <Tag color="blue">第 {index + 1} 题</Tag>
        <Tag>
          {item.isMultiple
            ? '多选题（选出全部正确答案）'
            : ITEM_KIND_LABELS[item.kind === 'veto' ? 'true_false' : item.kind]}
        </Tag>
      </Space>
      <Typography.Paragraph strong style={{ fontSize: 16 }} id={`stem-${item.id}`}>
        {item.stem}
      </Typography.Paragraph>
      {item.isMultiple ? (
        <Checkbox.Group
          aria-labelledby={`stem-${item.id}`}
          value={answer}
          onChange={(v) => onAnswer((v as string[]).slice().sort())}
        >
          <Space direction="vertical">
            {item.options.map((o) => (
              <Checkbox key={o.key} value={o.key}>
                {o.key}. {o.text}
              </Checkbox>
            ))}
          </Space>
        </Checkbox.Group>
      ) : (
        <Radio.Group
          aria-labelledby={`stem-${item.id}`}
          value={answer[0]}
          onChange={(e) => onAnswer([e.target.value as string])}
        >
          <Space direction="vertical">
            {item.options.map((o) => (
              <Radio key={o.key} value={o.key}>
                {item.options.length === 2 && o.key.length === 1 && /^[TF]$/.test(o.key)
                  ? o.text
                  : `${o.key}. ${o.text}`}
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      )}
    </div>
  );
}

function Quiz({ draw, onSubmitted }: { draw: SelfTestDraw; onSubmitted: (r: SelfTestResult) => void }) {
  const [answers, setAnswers] = useState<Answers>({});
  const [current, setCurrent] = useState(0);
  const submit = useSubmitSelfTest();
  const items = draw.items;
  const item = items[current];
  const answered = items.filter((i) => (answers[i.id] ?? []).length > 0).length;
  const remaining = items.length - answered;
  const isLast = current === items.length - 1;

  const send = () =>
    submit.mutate(
      {
        drawId: draw.drawId,
        answers: items
          .filter((i) => (answers[i.id] ?? []).length > 0)
          .map((i) => ({ itemId: i.id, answer: answers[i.id]! })),
      },
      { onSuccess: onSubmitted },
    );

  if (!item) return null;
  return (
    <Flex vertical gap={16}>
      <div>
        <Progress
          percent={Math.round((answered / items.length) * 100)}
          format={() => `${answered}/${items.length}`}
          aria-label="答题进度"
        />
        <Typography.Text type="secondary">
          已答 {answered} 题，还剩 {remaining} 题
        </Typography.Text>
      </div>
      <Card>
        <Question
          item={item}
          index={current}
          answer={answers[item.id] ?? []}
          onAnswer={(keys) => setAnswers((a) => ({ ...a, [item.id]: keys }))}
        />
      </Card>
      {submit.isError && <Alert type="error" showIcon role="alert" title={errorMessage(submit.error)} />}
      <Flex justify="space-between" wrap gap={8}>
        <Button disabled={current === 0} onClick={() => setCurrent((c) => c - 1)}>
          上一题
        </Button>
        <Space>
          {!isLast && (
            <Button type="primary" onClick={() => setCurrent((c) => c + 1)}>
              下一题
            </Button>
          )}
          <Popconfirm
            title={`还有 ${remaining} 题未作答，未答的题按答错计分。确定交卷吗？`}
            okText="交卷"
            cancelText="继续答题"
            disabled={remaining === 0}
            onConfirm={send}
          >
            <Button
              type={isLast ? 'primary' : 'default'}
              loading={submit.isPending}
              onClick={remaining === 0 ? send : undefined}
            >
              交卷
            </Button>
          </Popconfirm>
        </Space>
      </Flex>
      <Card size="small" title="答题卡">
        <Flex wrap gap={6}>
          {items.map((it, i) => {
            const done = (answers[it.id] ?? []).length > 0;
            return (
              <Button
                key={it.id}
                size="small"
                type={i === current ? 'primary' : done ? 'dashed' : 'default'}
                aria-label={`第 ${i + 1} 题${done ? '（已答）' : '（未答）'}`}
                onClick={() => setCurrent(i)}
                style={{ width: 40 }}
              >
                {i + 1}
              </Button>
            );
          })}
        </Flex>
      </Card>
    </Flex>
  );
}

function ResultView({ result, onAgain }: { result: SelfTestResult; onAgain: () => void }) {
  const [filter, setFilter] = useState<'wrong' | 'all'>('wrong');
  const shown = filter === 'all' ? result.items : result.items.filter((i) => !i.isCorrect);
  return (
    <Flex vertical gap={16}>
      <Result
        status={result.isPass ? 'success' : 'warning'}
        title={`${result.score} 分${result.isPass ? '，通过' : '，未通过'}`}
        subTitle={`答对 ${result.correctCount} / ${result.itemCount} 题，每题 ${
          result.rule.kind === 'benchmark-2016' ? result.rule.pointsPerItem : ''
        } 分，满分 ${result.maxScore} 分，${result.passScore} 分及格。`}
        extra={
          <Button type="primary" onClick={onAgain}>
            再测一次
          </Button>
        }
      />
      <Alert
        type="info"
        showIcon
        title="这是依据《中国公民科学素质基准》的自我测试，不是官方的公民科学素质调查；结果匿名保存，不计入任何科学素质比例的统计。"
      />
      <Card
        title="答题解析"
        extra={
          <Segmented
            value={filter}
            onChange={(v) => setFilter(v as 'wrong' | 'all')}
            options={[
              { label: `只看答错（${result.itemCount - result.correctCount}）`, value: 'wrong' },
              { label: `全部（${result.itemCount}）`, value: 'all' },
            ]}
          />
        }
      >
        <List
          // Items carry a `key` field (the right options): without rowKey antd would use it as the React key.
          rowKey="itemId"
          dataSource={shown}
          locale={{ emptyText: '全部答对了！' }}
          renderItem={(it) => {
            const n = result.items.indexOf(it) + 1;
            return (
              <List.Item key={it.itemId}>
                <div style={{ width: '100%' }}>
                  <Typography.Paragraph strong style={{ marginBottom: 4 }}>
                    {it.isCorrect ? (
                      <CheckCircleFilled style={{ color: '#52c41a' }} aria-label="答对" />
                    ) : (
                      <CloseCircleFilled style={{ color: '#ff4d4f' }} aria-label="答错" />
                    )}{' '}
                    {n}. {it.stem}
                  </Typography.Paragraph>
                  <Typography.Paragraph style={{ marginBottom: 4 }}>
                    你的答案：{optionText(it, it.answer)}　正确答案：{optionText(it, it.key)}
                  </Typography.Paragraph>
                  <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
                    解析：{it.explanation}
                  </Typography.Paragraph>
                  <Space size={4} wrap>
                    {it.benchmarks.map((b) => (
                      <Tag key={b}>{benchmarkLabel(b)}</Tag>
                    ))}
                  </Space>
                </div>
              </List.Item>
            );
          }}
        />
      </Card>
    </Flex>
  );
}

/** Public page, no sign-in: the 《基准》self-test, one question at a time, scored at once with explanations. */
export function SelfTestPage() {
  const draw = useSelfTestDraw();
  const [result, setResult] = useState<SelfTestResult | null>(null);
  const rule = draw.data?.rule;
  const again = () => {
    setResult(null);
    void draw.refetch();
  };

  let body: ReactNode;
  if (result) body = <ResultView result={result} onAgain={again} />;
  else if (draw.isPending || draw.isFetching) body = <FullPageSpin />;
  else if (draw.isError)
    body = (
      <Result
        status="error"
        title="暂时无法开始自测"
        subTitle={errorMessage(draw.error)}
        extra={<Button onClick={() => void draw.refetch()}>重试</Button>}
      />
    );
  else body = <Quiz key={draw.data.drawId} draw={draw.data} onSubmitted={setResult} />;

  return (
    <div style={{ minHeight: '100vh', background: '#f5f7fa', padding: '24px 16px' }}>
      <div style={{ maxWidth: 760, margin: '0 auto' }}>
        <Flex justify="space-between" align="baseline" wrap>
          <Typography.Title level={3} style={{ marginBottom: 4 }}>
            公民科学素质自测
          </Typography.Title>
          <Link to="/login">工作人员登录</Link>
        </Flex>
        <Typography.Paragraph type="secondary">
          依据《中国公民科学素质基准》（2016）的 26 条基准出题
          {rule?.kind === 'benchmark-2016'
            ? `，共 ${rule.itemCount} 题，每题 ${rule.pointsPerItem} 分，${rule.passScore} 分及格`
            : ''}
          。无需登录，交卷后立即显示得分和每道题的解析。
        </Typography.Paragraph>
        {body}
      </div>
    </div>
  );
}
