import { AimOutlined, CameraOutlined, PaperClipOutlined } from '@ant-design/icons';
import {
  ACTIVITY_CAMPAIGNS,
  ACTIVITY_FILE_ACCEPT,
  ACTIVITY_FILE_MAX_BYTES,
  ACTIVITY_MODE_LABELS,
  ACTIVITY_MODES,
  type ActivityDetail,
  ActivityInputSchema,
  COUNTING_METHODS,
  POPULATION_GROUP_LABELS,
  POPULATION_GROUPS,
} from '@kesu/shared';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Progress,
  Radio,
  Select,
  Space,
  Spin,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { errorMessage } from '../../lib/format';
import { validateWith } from '../../lib/form-errors';
import { useDebounced } from '../../lib/use-debounced';
import { useCurrentUser } from '../auth/require-auth';
import { useJurisdictions } from '../jurisdictions/jurisdictions.api';
import { UnitSelect } from '../units/unit-select';
import { useUnitList } from '../units/units.api';
import { uploadActivityFile, useActivity, useSaveActivity } from './activities.api';

/** Big touch targets: the form is filled in on a phone at the event. */
const BIG = { size: 'large' as const };

/** Co-organisers: several units, searched on the server. */
function CoorganiserSelect({
  value,
  onChange,
  known,
}: {
  value?: string[];
  onChange?: (v: string[]) => void;
  known: { id: string; name: string }[];
}) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const list = useUnitList({ q: q || undefined, active: 'true', page: 1, pageSize: 50 });
  const options = useMemo(() => {
    const opts = (list.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }));
    for (const k of known) if (!opts.some((o) => o.value === k.id)) opts.push({ value: k.id, label: k.name });
    return opts;
  }, [list.data, known]);
  return (
    <Select
      {...BIG}
      id="coorganiserUnitIds"
      mode="multiple"
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value ?? []}
      onChange={(v: string[]) => onChange?.(v)}
      options={options}
      placeholder="可不填；输入名称搜索单位"
      notFoundContent={list.isFetching ? '搜索中…' : '没有匹配的单位'}
      style={{ width: '100%' }}
    />
  );
}

function todayInShanghai(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

interface FormValues {
  title: string;
  organiserUnitId?: string | null;
  coorganiserUnitIds: string[];
  jurisdictionId?: string;
  place: string;
  startDate: string;
  endDate: string;
  theme?: string;
  campaign?: string | null;
  populations: string[];
  mode: string;
  participants: number | null;
  countingMethod?: string;
  summary?: string;
  longitude?: number | null;
  latitude?: number | null;
}

function valuesOf(a: ActivityDetail | undefined, defaults: Partial<FormValues>): FormValues {
  if (!a) {
    const today = todayInShanghai();
    return {
      title: '',
      coorganiserUnitIds: [],
      place: '',
      startDate: today,
      endDate: today,
      populations: [],
      mode: 'offline',
      participants: null,
      ...defaults,
    };
  }
  return {
    title: a.title,
    organiserUnitId: a.organiser.id,
    coorganiserUnitIds: a.coorganisers.map((c) => c.id),
    jurisdictionId: a.jurisdictionId,
    place: a.place,
    startDate: a.startDate,
    endDate: a.endDate,
    theme: a.theme ?? undefined,
    campaign: a.campaign,
    populations: a.populations,
    mode: a.mode,
    participants: a.participants,
    countingMethod: a.countingMethod ?? undefined,
    summary: a.summary ?? undefined,
    longitude: a.longitude,
    latitude: a.latitude,
  };
}

/** /activities/new and /activities/:id/edit — one column, phone first; photos go up after the activity is saved. */
export function ActivityFormPage() {
  const { id } = useParams();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const existing = useActivity(id);
  const places = useJurisdictions().data?.items ?? [];
  const save = useSaveActivity();
  const [form] = Form.useForm<FormValues>();
  const [formError, setFormError] = useState<string | null>(null);
  const [photos, setPhotos] = useState<{ key: number; file: File }[]>([]);
  const nextKey = useRef(0);
  const [progress, setProgress] = useState<{ name: string; percent: number } | null>(null);
  const [locating, setLocating] = useState(false);
  const cameraRef = useRef<HTMLInputElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const isAdmin = me.role === 'admin';
  const ready = !id || existing.data;

  useEffect(() => {
    if (ready)
      form.setFieldsValue(valuesOf(existing.data, { jurisdictionId: me.jurisdictionId ?? undefined }));
  }, [ready, existing.data, form, me.jurisdictionId]);

  const placeOptions = isAdmin
    ? places.map((j) => ({ value: j.id, label: j.name }))
    : places.filter((j) => j.id === me.jurisdictionId).map((j) => ({ value: j.id, label: j.name }));

  const addFiles = (list: FileList | null) => {
    const files = [...(list ?? [])];
    const tooBig = files.filter((f) => f.size > ACTIVITY_FILE_MAX_BYTES);
    if (tooBig.length)
      setFormError(`「${tooBig[0]!.name}」超过 ${ACTIVITY_FILE_MAX_BYTES / 1024 / 1024} MB 上限`);
    setPhotos((p) => [
      ...p,
      ...files
        .filter((f) => f.size <= ACTIVITY_FILE_MAX_BYTES)
        .map((file) => ({ key: nextKey.current++, file })),
    ]);
  };

  const locate = () => {
    if (!navigator.geolocation) {
      message.warning('此设备不能定位，请手动填写或留空');
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        form.setFieldsValue({
          longitude: Math.round(pos.coords.longitude * 1e6) / 1e6,
          latitude: Math.round(pos.coords.latitude * 1e6) / 1e6,
        });
      },
      () => {
        setLocating(false);
        message.warning('未能获取位置，请手动填写或留空');
      },
      { timeout: 10_000 },
    );
  };

  const onFinish = async () => {
    setFormError(null);
    const raw = form.getFieldsValue(true) as FormValues;
    const values = {
      ...raw,
      organiserUnitId: isAdmin ? (raw.organiserUnitId ?? undefined) : undefined,
      campaign: raw.campaign ?? null,
      longitude: raw.longitude ?? null,
      latitude: raw.latitude ?? null,
      participants: raw.participants ?? undefined,
    };
    const checked = validateWith(ActivityInputSchema, values, form);
    if (!checked.ok) {
      setFormError(checked.formErrors[0] ?? '请按提示修改标红的项目');
      return;
    }
    let saved: ActivityDetail;
    try {
      saved = await save.mutateAsync({ id, body: checked.data, version: existing.data?.version });
    } catch (e) {
      const fields = isApiError(e)
        ? (e.details as { fields?: { path: string; message: string }[] })?.fields
        : undefined;
      if (isApiError(e) && e.code === 'VALIDATION_FAILED' && fields?.length) {
        form.setFields(
          fields.map((f) => ({
            name: String(f.path).split('.')[0] as keyof FormValues,
            errors: [f.message],
          })),
        );
      }
      setFormError(
        isApiError(e) && e.code === 'CONFLICT' ? '该活动已被他人修改，请返回刷新后再改' : errorMessage(e),
      );
      return;
    }
    const failed: string[] = [];
    for (const { file: f } of photos) {
      setProgress({ name: f.name, percent: 0 });
      try {
        await uploadActivityFile(saved.id, f, (percent) => setProgress({ name: f.name, percent }));
      } catch (e) {
        failed.push(`「${f.name}」${errorMessage(e)}`);
      }
    }
    setProgress(null);
    if (failed.length)
      message.warning(`活动已保存，但有 ${failed.length} 个文件未上传：${failed.join('；')}`, 8);
    else message.success(id ? '已保存' : '活动已上报');
    navigate(`/activities/${saved.id}`, { replace: true });
  };

  if (id && existing.isError) return <Alert type="error" showIcon title={errorMessage(existing.error)} />;
  if (!ready) return <Spin />;
  const busy = save.isPending || progress !== null;

  return (
    <Card
      title={id ? '修改科普活动' : '上报科普活动'}
      style={{ maxWidth: 640, margin: '0 auto' }}
      styles={{ body: { padding: 16 } }}
    >
      <Form<FormValues> form={form} layout="vertical" onFinish={onFinish} disabled={busy}>
        <Form.Item name="title" label="活动名称" required>
          <Input {...BIG} maxLength={200} placeholder="如：2026年全国科普日丰县主场活动" />
        </Form.Item>
        {isAdmin ? (
          <Form.Item name="organiserUnitId" label="主办单位" required extra="本级的单位">
            <UnitSelect
              selectedLabel={existing.data?.organiser.name}
              allowClear={false}
              style={{ height: 40 }}
            />
          </Form.Item>
        ) : (
          <Form.Item label="主办单位">
            <Typography.Text strong>
              {existing.data?.organiser.name ?? me.unitName ?? '本单位'}
            </Typography.Text>
          </Form.Item>
        )}
        <Form.Item name="coorganiserUnitIds" label="协办单位">
          <CoorganiserSelect known={existing.data?.coorganisers ?? []} />
        </Form.Item>
        <Form.Item name="jurisdictionId" label="活动所在地区" required>
          <Select {...BIG} options={placeOptions} disabled={placeOptions.length <= 1} />
        </Form.Item>
        <Form.Item name="place" label="活动地点" required>
          <Input {...BIG} maxLength={200} placeholder="如：丰县科技馆一楼报告厅" />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="startDate" label="开始日期" required style={{ flex: 1, marginRight: 8 }}>
            <Input {...BIG} type="date" />
          </Form.Item>
          <Form.Item name="endDate" label="结束日期" required style={{ flex: 1 }}>
            <Input {...BIG} type="date" />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="mode" label="活动形式" required>
          <Radio.Group
            {...BIG}
            optionType="button"
            options={ACTIVITY_MODES.map((m) => ({ value: m, label: ACTIVITY_MODE_LABELS[m] }))}
          />
        </Form.Item>
        <Form.Item name="participants" label="参与人次" required extra="同一人参加多场按多人次计">
          <InputNumber
            {...BIG}
            min={0}
            precision={0}
            inputMode="numeric"
            style={{ width: '100%' }}
            placeholder="如：350"
          />
        </Form.Item>
        <Form.Item name="countingMethod" label="计数方式">
          <AutoComplete
            {...BIG}
            options={COUNTING_METHODS.map((m) => ({ value: m }))}
            placeholder="签到、票务、平台统计、估算……"
          />
        </Form.Item>
        <Form.Item name="campaign" label="活动品牌">
          <Select
            {...BIG}
            allowClear
            placeholder="不属于品牌活动可不选"
            options={ACTIVITY_CAMPAIGNS.map((c) => ({ value: c, label: c }))}
          />
        </Form.Item>
        <Form.Item name="theme" label="活动主题">
          <Input {...BIG} maxLength={100} placeholder="如：防灾减灾、健康素养" />
        </Form.Item>
        <Form.Item name="populations" label="面向的重点人群">
          <Checkbox.Group
            options={POPULATION_GROUPS.map((g) => ({ value: g, label: POPULATION_GROUP_LABELS[g] }))}
          />
        </Form.Item>
        <Form.Item name="summary" label="活动简介">
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item label="位置坐标（可不填）" extra="须在活动所在地区范围内">
          <Space wrap>
            <Form.Item name="longitude" noStyle>
              <InputNumber {...BIG} placeholder="经度" min={-180} max={180} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="latitude" noStyle>
              <InputNumber {...BIG} placeholder="纬度" min={-90} max={90} style={{ width: 140 }} />
            </Form.Item>
            <Button {...BIG} icon={<AimOutlined />} loading={locating} onClick={locate}>
              当前位置
            </Button>
          </Space>
        </Form.Item>
        <Form.Item
          label="现场照片和材料"
          extra="JPEG、PNG、HEIC 照片或 PDF、Word、Excel，每个不超过 20 MB；保存活动后上传"
        >
          <input
            ref={cameraRef}
            type="file"
            accept="image/*"
            capture="environment"
            aria-label="拍照"
            style={{ display: 'none' }}
            onChange={(e) => {
              addFiles(e.target.files);
              e.target.value = '';
            }}
          />
          <input
            ref={fileRef}
            type="file"
            accept={ACTIVITY_FILE_ACCEPT}
            multiple
            aria-label="选择文件"
            style={{ display: 'none' }}
            onChange={(e) => {
              addFiles(e.target.files);
              e.target.value = '';
            }}
          />
          <Space wrap>
            <Button {...BIG} icon={<CameraOutlined />} onClick={() => cameraRef.current?.click()}>
              拍照
            </Button>
            <Button {...BIG} icon={<PaperClipOutlined />} onClick={() => fileRef.current?.click()}>
              选择文件
            </Button>
          </Space>
          {photos.length > 0 && (
            <ul style={{ paddingLeft: 20, marginTop: 8 }}>
              {photos.map(({ key, file: p }) => (
                <li key={key}>
                  {p.name}（{(p.size / 1024 / 1024).toFixed(1)} MB）{' '}
                  <Button
                    type="link"
                    size="small"
                    onClick={() => setPhotos((l) => l.filter((x) => x.key !== key))}
                  >
                    移除
                  </Button>
                </li>
              ))}
            </ul>
          )}
          {progress && <Progress percent={progress.percent} aria-label={`上传 ${progress.name}`} />}
        </Form.Item>
        {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Button type="primary" htmlType="submit" size="large" block loading={busy}>
            {id ? '保存' : '上报'}
          </Button>
          <Link to={id ? `/activities/${id}` : '/activities'}>
            <Button size="large" block disabled={busy}>
              取消
            </Button>
          </Link>
        </Space>
      </Form>
    </Card>
  );
}
