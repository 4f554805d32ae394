import {
  TEMPLATE_UPLOAD_MAX_BYTES,
  type TemplateUploadResult,
  TemplateUploadResultSchema,
} from '@kesu/shared';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Modal, Progress, Select, Space, Table, Typography, Upload } from 'antd';
import { type ReactNode, useState } from 'react';
import { ApiError } from '../../api/client';
import { parseErrorResponse } from '../../api/api-error';
import { errorMessage } from '../../lib/format';

/** POST /api/v1/exchange/templates → the unit's xlsx, saved under the server's file name. */
export async function downloadTemplate(cycleId: string, unitId?: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch('/api/v1/exchange/templates', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: '*/*' },
      body: JSON.stringify({ cycleId, ...(unitId ? { unitId } : {}) }),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '网络错误，下载失败');
  }
  if (!res.ok) throw await parseErrorResponse(res);
  const name = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name ? decodeURIComponent(name) : '填报模板.xlsx';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Upload a filled template with progress (XMLHttpRequest); the server's row-by-row result, or its error. */
export function uploadTemplate(
  cycleId: string,
  file: File,
  onProgress: (percent: number) => void,
): Promise<TemplateUploadResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/exchange/templates/${encodeURIComponent(cycleId)}/upload`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((100 * e.loaded) / e.total));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', '网络错误，上传失败'));
    xhr.onload = async () => {
      const res = new Response(xhr.responseText, {
        status: xhr.status,
        headers: { 'Content-Type': xhr.getResponseHeader('Content-Type') ?? 'application/json' },
      });
      if (!res.ok) return reject(await parseErrorResponse(res));
      const parsed = TemplateUploadResultSchema.safeParse(JSON.parse(xhr.responseText));
      if (parsed.success) resolve(parsed.data);
      else reject(new ApiError(xhr.status, 'BAD_RESPONSE', '服务器返回的数据格式不正确'));
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** The result dialog: what was applied, what was refused (第 N 行：……) and what to look at. */
export function TemplateResult({ result }: { result: TemplateUploadResult }) {
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text data-testid="template-summary">
        已导入 {result.applied.length} 行（{result.reportsChanged} 份报告），未变化 {result.unchanged}{' '}
        行，错误 {result.errors.length} 行。
      </Typography.Text>
      {result.errors.length > 0 && (
        <>
          <Typography.Text strong type="danger">
            以下行未导入（其他行不受影响）：
          </Typography.Text>
          <ul data-testid="template-errors" style={{ margin: 0 }}>
            {result.errors.map((e) => (
              <li key={`e${e.row}${e.message}`}>{e.message}</li>
            ))}
          </ul>
        </>
      )}
      {result.flags.length > 0 && (
        <>
          <Typography.Text strong type="warning">
            已导入，但请留意：
          </Typography.Text>
          <ul style={{ margin: 0 }}>
            {result.flags.map((f) => (
              <li key={`f${f.row}${f.message}`}>{f.message}</li>
            ))}
          </ul>
        </>
      )}
      {result.applied.length > 0 && (
        <Table
          size="small"
          rowKey={(r) => `${r.row}`}
          pagination={false}
          scroll={{ y: 240 }}
          dataSource={result.applied}
          columns={[
            { title: '行', dataIndex: 'row', width: 56 },
            { title: '任务', dataIndex: 'taskPath', width: 72 },
            { title: '内容', dataIndex: 'item' },
            { title: '县区', key: 'county', render: (_, r) => r.county ?? '', width: 80 },
            { title: '原值', dataIndex: 'before' },
            { title: '新值', dataIndex: 'after' },
          ]}
        />
      )}
    </Space>
  );
}

/**
 * “下载填报模板 / 上传填报模板” for a unit's open cycles: download the xlsx, fill it offline, upload it; the result
 * dialog lists applied rows and row errors. Uploading is for the unit's own reporters; others may download.
 */
export function TemplateButtons({
  cycles,
  unitId,
  canUpload,
  afterUpload,
}: {
  cycles: { id: string; name: string }[];
  unitId?: string;
  canUpload: boolean;
  /** Shown in the result dialog's footer (the inbox offers “提交全部”). */
  afterUpload?: (cycleId: string, close: () => void) => ReactNode;
}) {
  const [cycleId, setCycleId] = useState<string | undefined>(cycles[0]?.id);
  const [percent, setPercent] = useState<number | null>(null);
  const [result, setResult] = useState<TemplateUploadResult | null>(null);
  const [downloading, setDownloading] = useState(false);
  const { message } = App.useApp();
  const qc = useQueryClient();
  const chosen = cycleId && cycles.some((c) => c.id === cycleId) ? cycleId : cycles[0]?.id;
  if (cycles.length === 0) return null;

  const onDownload = async () => {
    if (!chosen) return;
    setDownloading(true);
    try {
      await downloadTemplate(chosen, unitId);
      await qc.invalidateQueries({ queryKey: ['reporting'] });
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setDownloading(false);
    }
  };

  const onUpload = async (file: File) => {
    if (!chosen) return;
    if (file.size > TEMPLATE_UPLOAD_MAX_BYTES) {
      message.error(`文件超过 ${TEMPLATE_UPLOAD_MAX_BYTES / 1024 / 1024} MB，请确认是本系统下载的填报模板`);
      return;
    }
    setPercent(0);
    try {
      setResult(await uploadTemplate(chosen, file, setPercent));
      await qc.invalidateQueries({ queryKey: ['reporting'] });
    } catch (e) {
      Modal.error({ title: '上传失败，未导入任何内容', content: errorMessage(e) });
    } finally {
      setPercent(null);
    }
  };

  return (
    <Space wrap>
      {cycles.length > 1 && (
        <Select
          aria-label="模板周期"
          size="small"
          style={{ width: 180 }}
          value={chosen}
          onChange={setCycleId}
          options={cycles.map((c) => ({ value: c.id, label: c.name }))}
        />
      )}
      <Button size="small" onClick={() => void onDownload()} loading={downloading}>
        下载填报模板
      </Button>
      {canUpload && (
        <Upload
          accept=".xlsx"
          showUploadList={false}
          beforeUpload={(file) => {
            void onUpload(file);
            return false;
          }}
        >
          <Button size="small" type="primary" loading={percent !== null}>
            上传填报模板
          </Button>
        </Upload>
      )}
      {percent !== null && <Progress percent={percent} size="small" style={{ width: 120 }} />}
      <Modal
        open={result !== null}
        title="填报模板导入结果"
        width={820}
        onCancel={() => setResult(null)}
        footer={
          <Space wrap>
            {chosen && afterUpload?.(chosen, () => setResult(null))}
            <Button onClick={() => setResult(null)}>知道了</Button>
          </Space>
        }
      >
        {result && <TemplateResult result={result} />}
      </Modal>
    </Space>
  );
}
