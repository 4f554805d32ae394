import { describe, expect, it } from 'vitest';
import { normalizeParagraphs, normalizeText } from './normalize';

describe('normalizeText', () => {
  it('maps full-width digits and punctuation to ASCII but keeps Chinese punctuation', () => {
    expect(normalizeText('１．到２０２５年，建成１５所（省级）学校：达到８０％。“双百”、《纲要》')).toBe(
      '1.到2025年,建成15所(省级)学校:达到80%。“双百”、《纲要》',
    );
  });

  it.each(['— 3 —', '- 3 -', '-3-', '第 3 页', '第3页 共10页', '３', '— １２ —'])(
    'drops the footer %j',
    (footer) => {
      expect(normalizeParagraphs(`培训科技辅导员300人。\n${footer}\n建设基地。`)).toEqual([
        '培训科技辅导员300人。',
        '建设基地。',
      ]);
    },
  );

  it('joins a sentence broken by a page break and a footer', () => {
    expect(normalizeParagraphs('坚持方针,充分发挥领导小\n\n— 3 —\n\n组职能作用,取得成效。')).toEqual([
      '坚持方针,充分发挥领导小组职能作用,取得成效。',
    ]);
  });

  it('joins a heading title split over two lines but not a heading and its body', () => {
    expect(
      normalizeParagraphs('(一)实施青少年科学素质\n提升行动\n以激发青少年好奇心为目标,开展活动。'),
    ).toEqual(['(一)实施青少年科学素质提升行动', '以激发青少年好奇心为目标,开展活动。']);
    expect(
      normalizeParagraphs('(一)指导思想\n以习近平新时代中国特色社会主义思想为指导,全面贯彻。'),
    ).toHaveLength(2);
  });

  it('never joins into the next numbered heading or unit line', () => {
    expect(normalizeParagraphs('建设科普基地,推进\n2.加强农村科普。\n责任单位:市科协')).toEqual([
      '建设科普基地,推进',
      '2.加强农村科普。',
      '责任单位:市科协',
    ]);
  });

  it('removes layout spaces between Chinese characters but keeps them between ASCII words', () => {
    expect(normalizeText('市政府关于印发徐州市 全民科学素质 方案  STEM 2 教育')).toBe(
      '市政府关于印发徐州市全民科学素质方案STEM 2教育',
    );
  });

  it('handles CRLF, BOM and zero-width characters', () => {
    expect(normalizeParagraphs('\uFEFF一、前言\r\n正文\u200B内容。\r\n')).toEqual(['一、前言', '正文内容。']);
  });

  it('drops a page number printed inside a line and maps « » to 《 》', () => {
    expect(normalizeText('年接待观众 — 2 — 30万人次,培训 -3- 人员。学习«纲要»')).toBe(
      '年接待观众30万人次,培训人员。学习《纲要》',
    );
    expect(normalizeText('时间为2023-3-1,范围10—15个')).toBe('时间为2023-3-1,范围10—15个');
  });

  it('drops a running header repeated on three pages after the first heading, keeping the title above it', () => {
    const page = (n: number) => `某某县实施方案\n${n}.任务${n}。开展活动。`;
    expect(normalizeParagraphs(`某某县实施方案\n一、任务\n${[1, 2, 3].map(page).join('\n')}`)).toEqual([
      '某某县实施方案',
      '一、任务',
      '1.任务1。开展活动。',
      '2.任务2。开展活动。',
      '3.任务3。开展活动。',
    ]);
  });

  it('keeps a unit line repeated under several tasks', () => {
    const text =
      '一、任务\n1.甲。开展活动。\n(市科协负责)\n2.乙。开展活动。\n(市科协负责)\n3.丙。开展活动。\n(市科协负责)';
    expect(normalizeParagraphs(text).filter((p) => p === '(市科协负责)')).toHaveLength(3);
  });

  it('turns tab-separated rows into "｜" rows, a row with one filled cell inside a table too', () => {
    expect(
      normalizeParagraphs('序号\t任务\t牵头单位\n(一)青少年\t\t\n1\t 深化 教育\t市教育局\n一、\t总体要求'),
    ).toEqual(['序号｜任务｜牵头单位', '(一)青少年｜｜', '1｜深化教育｜市教育局', '一、总体要求']);
  });

  it('splits headings run on inside a paragraph only where the numbering goes on', () => {
    expect(
      normalizeParagraphs(
        '一、任务(一)青少年行动1.深化教育。内容一、二、三等奖。2.拓展活动。(二)农民行动1.培育农民。',
      ),
    ).toEqual([
      '一、任务',
      '(一)青少年行动',
      '1.深化教育。内容一、二、三等奖。',
      '2.拓展活动。',
      '(二)农民行动',
      '1.培育农民。',
    ]);
    expect(normalizeParagraphs('一、任务\n1.甲。要求如下:(1)开展竞赛;(2)组织选拔。3.5万人参加。')).toEqual([
      '一、任务',
      '1.甲。要求如下:(1)开展竞赛;(2)组织选拔。3.5万人参加。',
    ]);
  });
});
