import { BellOutlined } from '@ant-design/icons';
import type { InAppNotification } from '@kesu/shared';
import { Alert, App, Badge, Button, Drawer, Empty, List, Segmented, Space, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage, formatDateTime } from '../../lib/format';
import { useMarkRead, useNotifications, useUnreadCount } from './notifications.api';

/** The header bell: unread count as a badge; the drawer lists notifications, opens their page, marks them read. */
export function NotificationBell() {
  const [open, setOpen] = useState(false);
  const [unreadOnly, setUnreadOnly] = useState(true);
  const count = useUnreadCount();
  const list = useNotifications(open, unreadOnly);
  const markRead = useMarkRead();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const n = count.data?.count ?? 0;

  const openItem = (item: InAppNotification) => {
    if (!item.readAt) markRead.mutate({ ids: [item.id] });
    if (item.link) {
      setOpen(false);
      navigate(item.link);
    }
  };
  return (
    <>
      <Badge count={n} size="small" overflowCount={99}>
        <Button
          shape="circle"
          icon={<BellOutlined />}
          aria-label={n > 0 ? `通知（${n} 条未读）` : '通知'}
          onClick={() => setOpen(true)}
        />
      </Badge>
      <Drawer
        title="通知"
        open={open}
        onClose={() => setOpen(false)}
        size="default"
        extra={
          <Button
            size="small"
            disabled={n === 0}
            loading={markRead.isPending}
            onClick={() =>
              markRead.mutate({ all: true }, { onError: (e) => void message.error(errorMessage(e)) })
            }
          >
            全部标为已读
          </Button>
        }
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Segmented<'unread' | 'all'>
            value={unreadOnly ? 'unread' : 'all'}
            onChange={(v) => setUnreadOnly(v === 'unread')}
            options={[
              { value: 'unread', label: '未读' },
              { value: 'all', label: '全部' },
            ]}
          />
          {list.isError && <Alert type="error" showIcon title={errorMessage(list.error)} />}
          <List<InAppNotification>
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            locale={{ emptyText: <Empty description={unreadOnly ? '没有未读通知' : '暂无通知'} /> }}
            renderItem={(item) => (
              <List.Item
                actions={
                  item.readAt
                    ? []
                    : [
                        <Button
                          key="read"
                          type="link"
                          size="small"
                          onClick={() => markRead.mutate({ ids: [item.id] })}
                        >
                          标为已读
                        </Button>,
                      ]
                }
              >
                <List.Item.Meta
                  title={
                    <Typography.Link strong={!item.readAt} onClick={() => openItem(item)}>
                      {item.title}
                    </Typography.Link>
                  }
                  description={
                    <>
                      {item.body && <div>{item.body}</div>}
                      <Typography.Text type="secondary">{formatDateTime(item.createdAt)}</Typography.Text>
                    </>
                  }
                />
              </List.Item>
            )}
          />
        </Space>
      </Drawer>
    </>
  );
}
