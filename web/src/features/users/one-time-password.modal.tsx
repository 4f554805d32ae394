import type { OneTimePassword } from '@kesu/shared';
import { Alert, App, Button, Descriptions, Modal, Space, Typography } from 'antd';

/**
 * Shows a one-time password exactly once. It lives only in the parent's state, which is dropped on close, and it
 * is never cached by react-query (mutation results are not kept once the modal closes).
 */
export function OneTimePasswordModal({
  result,
  title,
  onClose,
}: {
  result: OneTimePassword | null;
  title: string;
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const copy = async () => {
    if (!result) return;
    try {
      await navigator.clipboard.writeText(result.oneTimePassword);
      void message.success('已复制到剪贴板');
    } catch {
      void message.warning('无法访问剪贴板，请手动选中复制');
    }
  };
  return (
    <Modal
      open={result !== null}
      title={title}
      onCancel={onClose}
      mask={{ closable: false }}
      keyboard={false}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onClose}>
          我已记下
        </Button>
      }
    >
      {result && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Alert
            type="warning"
            showIcon
            title="一次性密码只显示这一次"
            description="请立即复制并通过安全渠道交给本人。对方首次登录后须修改密码。"
          />
          <Descriptions column={1} size="small">
            <Descriptions.Item label="用户名">{result.user.username}</Descriptions.Item>
            <Descriptions.Item label="姓名">{result.user.displayName}</Descriptions.Item>
            <Descriptions.Item label="一次性密码">
              <Typography.Text code data-testid="one-time-password" style={{ fontSize: 16 }}>
                {result.oneTimePassword}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          <Button onClick={() => void copy()}>复制密码</Button>
        </Space>
      )}
    </Modal>
  );
}
