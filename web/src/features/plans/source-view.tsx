import type { DraftTask } from '@kesu/shared';
import { Typography } from 'antd';
import { type ReactNode, useMemo } from 'react';

/** Beyond this many characters only the beginning is shown (a browser cannot lay out megabytes of marks). */
const MAX_CHARS = 400_000;

type MarkKind = 'heading' | 'unit' | 'target';
interface Mark {
  start: number;
  end: number;
  kind: MarkKind;
  task: number;
}

const STYLE: Record<MarkKind, React.CSSProperties> = {
  heading: { background: '#e6f4ff', fontWeight: 600, padding: 0 },
  unit: { background: '#fff7e6', borderBottom: '2px solid #fa8c16', padding: 0 },
  target: { background: '#f6ffed', borderBottom: '2px solid #52c41a', padding: 0 },
};

/** Anchor id of a task's heading in the source view, for "show in document". */
export const headingAnchor = (taskIndex: number) => `src-heading-${taskIndex}`;

/**
 * The document text with every recognised heading, responsible unit and target highlighted, using the parser's
 * spans (offsets into `sourceText`). Overlapping spans keep the first.
 */
export function SourceView({ sourceText, tasks }: { sourceText: string; tasks: DraftTask[] }) {
  const text = sourceText.length > MAX_CHARS ? sourceText.slice(0, MAX_CHARS) : sourceText;
  const nodes = useMemo(() => {
    const marks: Mark[] = [];
    tasks.forEach((t, i) => {
      if (!t.spans) return;
      marks.push({ ...t.spans.heading, kind: 'heading', task: i });
      for (const s of t.spans.units) marks.push({ ...s, kind: 'unit', task: i });
      for (const s of t.spans.targets) marks.push({ ...s, kind: 'target', task: i });
    });
    marks.sort((a, b) => a.start - b.start || b.end - a.end);
    const out: ReactNode[] = [];
    let pos = 0;
    for (const m of marks) {
      if (m.start < pos || m.end <= m.start || m.end > text.length) continue;
      if (m.start > pos) out.push(text.slice(pos, m.start));
      out.push(
        <mark
          key={`${m.kind}-${m.start}`}
          id={m.kind === 'heading' ? headingAnchor(m.task) : undefined}
          data-kind={m.kind}
          style={STYLE[m.kind]}
        >
          {text.slice(m.start, m.end)}
        </mark>,
      );
      pos = m.end;
    }
    if (pos < text.length) out.push(text.slice(pos));
    return out;
  }, [text, tasks]);
  return (
    <div>
      <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
        <mark style={STYLE.heading}>标题</mark> <mark style={STYLE.unit}>责任单位</mark>{' '}
        <mark style={STYLE.target}>目标</mark>
      </Typography.Text>
      <section
        data-testid="source-view"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the scrollable document must be reachable by keyboard
        tabIndex={0}
        aria-label="文档原文"
        style={{
          whiteSpace: 'pre-wrap',
          lineHeight: 1.9,
          maxHeight: '70vh',
          overflow: 'auto',
          border: '1px solid #f0f0f0',
          padding: 12,
          fontSize: 13,
        }}
      >
        {nodes}
      </section>
      {sourceText.length > MAX_CHARS && (
        <Typography.Text type="secondary">
          文档较长，仅显示前 {MAX_CHARS.toLocaleString('zh-CN')} 个字。
        </Typography.Text>
      )}
    </div>
  );
}
