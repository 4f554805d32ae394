import { App, Button } from 'antd';
import { errorMessage } from '../../lib/format';
import { showBulkResult } from './bulk-result';
import { useSubmitAll } from './reporting.api';

/** “提交全部”: submit every filled-in draft or returned report of the unit in a cycle; lists what was left out. */
export function SubmitAllButton({
  cycleId,
  count,
  onDone,
  size = 'small',
}: {
  cycleId: string;
  /** Drafts and returned reports waiting (the button says how many). */
  count: number;
  onDone?: () => void;
  size?: 'small' | 'middle';
}) {
  const submitAll = useSubmitAll();
  const { modal, message } = App.useApp();
  if (count === 0) return null;
  const onClick = () =>
    modal.confirm({
      title: '提交全部已填好的报告？',
      content: `本周期有 ${count} 份报告待提交。已填写且通过检查的将提交审核，尚未填写或缺少说明的会列出，不会提交。`,
      okText: '提交全部',
      cancelText: '取消',
      onOk: async () => {
        try {
          const r = await submitAll.mutateAsync({ cycleId });
          showBulkResult(modal, '提交结果', r, '已提交');
          onDone?.();
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });
  return (
    <Button size={size} type="primary" onClick={onClick} loading={submitAll.isPending}>
      提交全部（{count}）
    </Button>
  );
}
