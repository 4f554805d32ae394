import { type Jurisdiction, JurisdictionBoundsSchema } from '@kesu/shared';
import { Alert, App, Form, InputNumber, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../lib/format';
import { useUpdateJurisdictionBounds } from './jurisdictions.api';

type Values = {
  minLng?: number | null;
  maxLng?: number | null;
  minLat?: number | null;
  maxLat?: number | null;
};

/** The box a jurisdiction's registry coordinates must fall in; all blank = its parent's. */
export function BoundsModal({ item, onClose }: { item: Jurisdiction | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const save = useUpdateJurisdictionBounds();
  const { message } = App.useApp();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!item) return;
    setError(null);
    form.setFieldsValue(item.bounds ?? { minLng: null, maxLng: null, minLat: null, maxLat: null });
  }, [item, form]);
  const onFinish = (v: Values) => {
    if (!item) return;
    const bounds = {
      minLng: v.minLng ?? null,
      maxLng: v.maxLng ?? null,
      minLat: v.minLat ?? null,
      maxLat: v.maxLat ?? null,
    };
    const parsed = JurisdictionBoundsSchema.safeParse(bounds);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? '范围无效');
      return;
    }
    save.mutate(
      { id: item.id, body: { bounds: parsed.data, version: item.version } },
      {
        onSuccess: () => {
          void message.success('范围已保存');
          onClose();
        },
        onError: (e) => setError(errorMessage(e)),
      },
    );
  };
  const num = (name: keyof Values, label: string, min: number, max: number) => (
    <Form.Item label={label} name={name}>
      <InputNumber min={min} max={max} step={0.01} style={{ width: '100%' }} />
    </Form.Item>
  );
  return (
    <Modal
      open={item !== null}
      title={`${item?.name ?? ''}的经纬度范围`}
      okText="保存"
      cancelText="取消"
      okButtonProps={{ loading: save.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        资源库中该地区记录的坐标须落在此范围内。四项都留空则沿用上级的范围。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={onFinish}>
        {num('minLng', '最西经度（东经）', -180, 180)}
        {num('maxLng', '最东经度（东经）', -180, 180)}
        {num('minLat', '最南纬度（北纬）', -90, 90)}
        {num('maxLat', '最北纬度（北纬）', -90, 90)}
      </Form>
    </Modal>
  );
}
