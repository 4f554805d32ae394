import type { BulkResult } from '@kesu/shared';
import { type App, List, Typography } from 'antd';

type ModalApi = ReturnType<typeof App.useApp>['modal'];

/** Show what a bulk action did: how many, and each item left out with its reason. */
export function showBulkResult(modal: ModalApi, title: string, r: BulkResult, doneLabel: string): void {
  const skipped = r.items.filter((i) => !i.ok);
  const content = (
    <>
      <Typography.Paragraph>
        {doneLabel} {r.done} 项{skipped.length > 0 ? `，未处理 ${skipped.length} 项：` : '。'}
      </Typography.Paragraph>
      {skipped.length > 0 && (
        <List
          size="small"
          dataSource={skipped}
          renderItem={(i) => (
            <List.Item>
              <span style={{ wordBreak: 'break-all' }}>
                {i.name}：{i.reason}
              </span>
            </List.Item>
          )}
        />
      )}
    </>
  );
  if (skipped.length === 0) modal.success({ title, content });
  else modal.warning({ title, content, width: 560 });
}
