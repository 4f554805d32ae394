import {
  BENCHMARK_RULE_DEFAULT,
  type PublicItem,
  type SelfTestDraw,
  type SelfTestResult,
  type SelfTestSubmit,
} from '@kesu/shared';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { jsonResponse, mockFetch, renderApp } from '../../test/render';

function buildDraw(n = 50): SelfTestDraw {
  const items: PublicItem[] = Array.from({ length: n }, (_, i) => ({
    id: `B${i + 1}`,
    dimension: 'knowledge',
    kind: i === 1 ? 'multiple' : 'single',
    stem: `第${i + 1}道题的题干`,
    options: [
      { key: 'A', text: `甲${i + 1}` },
      { key: 'B', text: `乙${i + 1}` },
      { key: 'C', text: `丙${i + 1}` },
    ],
    isMultiple: i === 1,
    benchmarks: [(i % 26) + 1],
  }));
  return { drawId: '01J0000000000000000000000A.1.12345', name: '题库', rule: BENCHMARK_RULE_DEFAULT, items };
}

/** The server's answer: A is right everywhere (A and C on the multiple-choice item). */
function score(draw: SelfTestDraw, body: SelfTestSubmit): SelfTestResult {
  const key = (it: PublicItem) => (it.isMultiple ? ['A', 'C'] : ['A']);
  const items = draw.items.map((it) => {
    const answer = body.answers.find((a) => a.itemId === it.id)?.answer ?? [];
    return {
      itemId: it.id,
      stem: it.stem,
      options: it.options,
      answer,
      key: key(it),
      isCorrect: answer.join() === key(it).join(),
      explanation: `第${it.id}题的解析`,
      benchmarks: it.benchmarks,
    };
  });
  const correct = items.filter((i) => i.isCorrect).length;
  const per = 100 / items.length;
  return {
    resultId: '01J0000000000000000000000R',
    score: correct * per,
    maxScore: 100,
    passScore: 60,
    isPass: correct * per >= 60,
    correctCount: correct,
    itemCount: items.length,
    rule: BENCHMARK_RULE_DEFAULT,
    items,
  };
}

describe('SelfTestPage (public, no sign-in)', () => {
  it('is linked from the sign-in page', async () => {
    const draw = buildDraw();
    mockFetch({ 'GET /api/v1/public/self-test': () => jsonResponse(draw) });
    renderApp('/login', null);
    fireEvent.click(screen.getByRole('link', { name: '公民科学素质自测' }));
    expect(await screen.findByText('第1道题的题干')).toBeTruthy();
  });

  it('takes the test one question at a time with progress, then shows the score and explanations', async () => {
    // Ten questions keep the test fast; the server's draw is 50 (tested in the instruments module).
    const draw = buildDraw(10);
    let sent: SelfTestSubmit | null = null;
    const fetchMock = mockFetch({
      'GET /api/v1/public/self-test': () => jsonResponse(draw),
      'POST /api/v1/public/self-test': (init) => {
        sent = JSON.parse(String(init.body));
        return jsonResponse(score(draw, sent!));
      },
    });
    renderApp('/self-test', null);
    expect(await screen.findByText('第1道题的题干')).toBeTruthy();
    expect(screen.getByText('已答 0 题，还剩 10 题')).toBeTruthy();
    // Seven right (A), the multiple-choice item right (A+C), two wrong (B): 8 × 10 points.
    for (let i = 0; i < 10; i++) {
      const it = draw.items[i]!;
      expect(screen.getByText(it.stem)).toBeTruthy();
      if (it.isMultiple) {
        fireEvent.click(screen.getByLabelText(`A. 甲${i + 1}`));
        fireEvent.click(screen.getByLabelText(`C. 丙${i + 1}`));
      } else {
        fireEvent.click(screen.getByLabelText(i < 8 ? `A. 甲${i + 1}` : `B. 乙${i + 1}`));
      }
      if (i < 9) fireEvent.click(screen.getByText('下一题'));
    }
    expect(screen.getByText('已答 10 题，还剩 0 题')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /交\s*卷/ }));
    expect(await screen.findByText('80 分，通过')).toBeTruthy();
    expect(sent!.drawId).toBe(draw.drawId);
    expect(sent!.answers).toHaveLength(10);
    expect(sent!.answers.find((a) => a.itemId === 'B2')!.answer).toEqual(['A', 'C']);
    expect(fetchMock.mock.calls.filter(([, init]) => init?.method === 'POST')).toHaveLength(1);
    // Wrong answers first, each with its explanation and 基准.
    expect(screen.getByText('解析：第B9题的解析')).toBeTruthy();
    expect(screen.queryByText('解析：第B1题的解析')).toBeNull();
    fireEvent.click(screen.getByText('全部（10）'));
    expect(await screen.findByText('解析：第B1题的解析')).toBeTruthy();
    // Exactly one row per question (items have a `key` field that must not become the React key).
    expect(screen.getAllByText(/^解析：/)).toHaveLength(10);
    expect(screen.getByText(/不计入任何科学素质比例的统计/)).toBeTruthy();
  });

  it('lets the user jump with the answer sheet and warns before handing in unanswered items', async () => {
    const draw = buildDraw();
    mockFetch({
      'GET /api/v1/public/self-test': () => jsonResponse(draw),
      'POST /api/v1/public/self-test': (init) => jsonResponse(score(draw, JSON.parse(String(init.body)))),
    });
    renderApp('/self-test', null);
    await screen.findByText('第1道题的题干');
    fireEvent.click(screen.getByLabelText('A. 甲1'));
    fireEvent.click(screen.getByRole('button', { name: '第 30 题（未答）' }));
    expect(screen.getByText('第30道题的题干')).toBeTruthy();
    expect(screen.getByRole('button', { name: '第 1 题（已答）' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /交\s*卷/ }));
    const confirm = await screen.findByText('还有 49 题未作答，未答的题按答错计分。确定交卷吗？');
    const pop = confirm.closest('.ant-popover') as HTMLElement;
    fireEvent.click(within(pop).getByRole('button', { name: /交\s*卷/ }));
    expect(await screen.findByText('2 分，未通过')).toBeTruthy();
  });

  it('shows the server’s Chinese message when the answers are refused', async () => {
    const draw = buildDraw(1);
    mockFetch({
      'GET /api/v1/public/self-test': () => jsonResponse(draw),
      'POST /api/v1/public/self-test': () =>
        jsonResponse(
          { error: { code: 'INVALID_STATE', message: '题库已更新，本次自测卷已失效，请重新开始自测' } },
          409,
        ),
    });
    renderApp('/self-test', null);
    fireEvent.click(await screen.findByLabelText('A. 甲1'));
    fireEvent.click(screen.getByRole('button', { name: /交\s*卷/ }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('题库已更新'));
  });
});
