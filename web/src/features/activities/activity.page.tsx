import { CameraOutlined, PaperClipOutlined } from '@ant-design/icons';
import { ACTIVITY_FILE_ACCEPT, ACTIVITY_FILE_MAX_BYTES, type ActivityDetail } from '@kesu/shared';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Image,
  List,
  Modal,
  Progress,
  Space,
  Spin,
  Typography,
} from 'antd';
import { useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { errorMessage, formatDateTime } from '../../lib/format';
import {
  activityFileUrl,
  uploadActivityFile,
  useActivity,
  useDeleteActivity,
  useDeleteActivityFile,
} from './activities.api';
import { activityDates, formatCount, jointText, modeText, populationsText } from './activity-labels';

function Files({ a }: { a: ActivityDetail }) {
  const { message } = App.useApp();
  const remove = useDeleteActivityFile(a.id);
  const detail = useActivity(a.id);
  const [progress, setProgress] = useState<{ name: string; percent: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cameraRef = useRef<HTMLInputElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const photos = a.files.filter((f) => f.isImage && f.mime !== 'image/heic');
  const others = a.files.filter((f) => !photos.includes(f));

  const upload = async (list: FileList | null) => {
    setError(null);
    for (const f of [...(list ?? [])]) {
      if (f.size > ACTIVITY_FILE_MAX_BYTES) {
        setError(`「${f.name}」超过 ${ACTIVITY_FILE_MAX_BYTES / 1024 / 1024} MB 上限`);
        continue;
      }
      setProgress({ name: f.name, percent: 0 });
      try {
        const saved = await uploadActivityFile(a.id, f, (percent) => setProgress({ name: f.name, percent }));
        message.success(`已上传「${saved.fileName}」`);
      } catch (e) {
        setError(`「${f.name}」${errorMessage(e)}`);
      }
    }
    setProgress(null);
    await detail.refetch();
  };

  const confirmRemove = (fileId: string, name: string) =>
    Modal.confirm({
      title: `删除「${name}」？`,
      okText: '删除',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: () => remove.mutateAsync(fileId).catch((e) => void message.error(errorMessage(e))),
    });

  return (
    <Card title="现场照片和材料" size="small">
      {a.files.length === 0 && <Empty description="还没有照片或材料" />}
      {photos.length > 0 && (
        <Image.PreviewGroup>
          <Space wrap size={8}>
            {photos.map((p) => (
              <Space key={p.id} orientation="vertical" size={2} align="center">
                <Image
                  src={activityFileUrl(a.id, p.id)}
                  alt={p.fileName}
                  width={104}
                  height={104}
                  style={{ objectFit: 'cover', borderRadius: 4 }}
                />
                {a.can.edit && (
                  <Button type="link" size="small" danger onClick={() => confirmRemove(p.id, p.fileName)}>
                    删除
                  </Button>
                )}
              </Space>
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
      {others.length > 0 && (
        <List
          size="small"
          dataSource={others}
          renderItem={(f) => (
            <List.Item
              actions={
                a.can.edit
                  ? [
                      <Button
                        key="del"
                        type="link"
                        size="small"
                        danger
                        onClick={() => confirmRemove(f.id, f.fileName)}
                      >
                        删除
                      </Button>,
                    ]
                  : []
              }
            >
              <a href={activityFileUrl(a.id, f.id)} download={f.fileName}>
                {f.fileName}
              </a>
              <Typography.Text type="secondary"> {(f.sizeBytes / 1024).toFixed(0)} KB</Typography.Text>
            </List.Item>
          )}
        />
      )}
      {a.can.edit && (
        <div style={{ marginTop: 12 }}>
          <input
            ref={cameraRef}
            type="file"
            accept="image/*"
            capture="environment"
            aria-label="拍照上传"
            style={{ display: 'none' }}
            onChange={(e) => {
              void upload(e.target.files);
              e.target.value = '';
            }}
          />
          <input
            ref={fileRef}
            type="file"
            accept={ACTIVITY_FILE_ACCEPT}
            multiple
            aria-label="上传文件"
            style={{ display: 'none' }}
            onChange={(e) => {
              void upload(e.target.files);
              e.target.value = '';
            }}
          />
          <Space wrap>
            <Button
              size="large"
              icon={<CameraOutlined />}
              disabled={progress !== null}
              onClick={() => cameraRef.current?.click()}
            >
              拍照上传
            </Button>
            <Button
              size="large"
              icon={<PaperClipOutlined />}
              disabled={progress !== null}
              onClick={() => fileRef.current?.click()}
            >
              上传照片或材料
            </Button>
          </Space>
          {progress && <Progress percent={progress.percent} aria-label={`上传 ${progress.name}`} />}
        </div>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Card>
  );
}

/** /activities/:id — what was recorded, the joint-activity note, photos and files; edit and delete for who may. */
export function ActivityPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const q = useActivity(id);
  const del = useDeleteActivity();
  if (q.isError) return <Alert type="error" showIcon title={errorMessage(q.error)} />;
  if (!q.data) return <Spin />;
  const a = q.data;
  const joint = jointText(a);

  const confirmDelete = () =>
    Modal.confirm({
      title: `删除活动「${a.title}」？`,
      content:
        a.duplicateCount > 0
          ? '删除后，其他单位上报的同一活动将改为计数。照片和材料一并删除，不能恢复。'
          : '照片和材料一并删除，不能恢复。',
      okText: '删除',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        try {
          await del.mutateAsync(a.id);
          message.success('已删除');
          navigate('/activities', { replace: true });
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%', maxWidth: 960 }}>
      <Card
        title="科普活动"
        extra={
          a.can.edit && (
            <Space wrap>
              <Button onClick={() => navigate(`/activities/${a.id}/edit`)}>修改</Button>
              <Button danger onClick={confirmDelete}>
                删除
              </Button>
            </Space>
          )
        }
      >
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {a.title}
        </Typography.Title>
        {joint && <Alert type="info" showIcon title={joint} style={{ marginBottom: 12 }} />}
        {a.isDemo && <Alert type="warning" showIcon title="演示数据" style={{ marginBottom: 12 }} />}
        <Descriptions column={{ xs: 1, sm: 1, md: 2 }} size="small" bordered>
          <Descriptions.Item label="日期">{activityDates(a)}</Descriptions.Item>
          <Descriptions.Item label="地区">{a.jurisdictionName}</Descriptions.Item>
          <Descriptions.Item label="地点">{a.place}</Descriptions.Item>
          <Descriptions.Item label="形式">{modeText(a.mode)}</Descriptions.Item>
          <Descriptions.Item label="主办单位">{a.organiser.name}</Descriptions.Item>
          <Descriptions.Item label="协办单位">
            {a.coorganisers.length ? a.coorganisers.map((c) => c.name).join('、') : '—'}
          </Descriptions.Item>
          <Descriptions.Item label="参与人次">
            {formatCount(a.participants)}
            {a.countingMethod ? `（${a.countingMethod}）` : ''}
            {a.duplicateOf ? '（不重复计入）' : ''}
          </Descriptions.Item>
          <Descriptions.Item label="重点人群">{populationsText(a.populations)}</Descriptions.Item>
          <Descriptions.Item label="活动品牌">{a.campaign ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="主题">{a.theme ?? '—'}</Descriptions.Item>
          {a.longitude !== null && a.latitude !== null && (
            <Descriptions.Item label="坐标">
              东经 {a.longitude}，北纬 {a.latitude}
            </Descriptions.Item>
          )}
          <Descriptions.Item label="更新时间">{formatDateTime(a.updatedAt)}</Descriptions.Item>
          <Descriptions.Item label="简介" span={2}>
            {a.summary ? (
              <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                {a.summary}
              </Typography.Paragraph>
            ) : (
              '—'
            )}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Files a={a} />
      <Link to="/activities">返回活动列表</Link>
    </Space>
  );
}
