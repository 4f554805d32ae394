import { InboxOutlined } from '@ant-design/icons';
import { REGISTRY_DEFINITIONS, type RegistryImportRowError, type ResourceKind } from '@kesu/shared';
import { Alert, Button, List, Modal, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import { errorMessage } from '../../lib/format';
import { templateUrl, useImportRecords } from './registries.api';

/** Row errors of a refused import (`details.rows`), or none. */
export function rowErrorsOf(e: unknown): RegistryImportRowError[] {
  if (!isApiError(e)) return [];
  const rows = (e.details as { rows?: unknown } | undefined)?.rows;
  return Array.isArray(rows)
    ? rows.filter(
        (r): r is RegistryImportRowError => typeof r?.row === 'number' && typeof r?.message === 'string',
      )
    : [];
}

/** 导入: download the kind's template, fill it, upload it; all rows are imported or none, with every bad row listed. */
export function RegistryImportModal({
  kind,
  open,
  onClose,
}: {
  kind: ResourceKind;
  open: boolean;
  onClose: () => void;
}) {
  const def = REGISTRY_DEFINITIONS[kind];
  const importer = useImportRecords(kind);
  const [result, setResult] = useState<{ imported: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const rows = rowErrorsOf(error);
  const close = () => {
    setResult(null);
    setError(null);
    importer.reset();
    onClose();
  };
  return (
    <Modal
      open={open}
      title={`导入${def.label}`}
      onCancel={close}
      footer={<Button onClick={close}>关闭</Button>}
      width={640}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph style={{ margin: 0 }}>
          1.{' '}
          <a href={templateUrl(kind)} download>
            下载{def.label}导入模板
          </a>
          ，按表头填写（带 * 的列必填）。
          <br />
          2. 上传填好的文件：每一行都会先校验，任何一行有错误都不会导入，请改正后重新上传。
        </Typography.Paragraph>
        <Upload.Dragger
          accept=".xlsx"
          multiple={false}
          showUploadList={false}
          disabled={importer.isPending}
          beforeUpload={(file) => {
            setResult(null);
            setError(null);
            importer.mutate(file, { onSuccess: setResult, onError: setError });
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{importer.isPending ? '正在导入…' : '点击或拖入填好的 Excel 文件（.xlsx）'}</p>
        </Upload.Dragger>
        {result && <Alert type="success" showIcon title={`已导入 ${result.imported} 条记录`} />}
        {error !== null && rows.length === 0 && <Alert type="error" showIcon title={errorMessage(error)} />}
        {rows.length > 0 && (
          <>
            <Alert type="error" showIcon title={`有 ${rows.length} 行错误，未导入任何记录`} />
            <List
              size="small"
              bordered
              style={{ maxHeight: 280, overflow: 'auto' }}
              dataSource={rows}
              renderItem={(r) => <List.Item>{r.message}</List.Item>}
            />
          </>
        )}
      </Space>
    </Modal>
  );
}
