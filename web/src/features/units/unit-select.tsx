import { UNIT_KIND_LABELS } from '@kesu/shared';
import { Select } from 'antd';
import { useMemo, useState } from 'react';
import { useUnitList } from './units.api';
import { useDebounced } from '../../lib/use-debounced';

interface Props {
  id?: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** Label for the current value when it is not among the search results (e.g. editing a user). */
  selectedLabel?: string | null;
  /** A unit that may not be picked (the merge target itself). */
  excludeId?: string;
  placeholder?: string;
  disabled?: boolean;
  allowClear?: boolean;
  style?: React.CSSProperties;
}

/** Active units, searched on the server by name, short name or alias. Works as an antd Form control. */
export function UnitSelect({
  id,
  value,
  onChange,
  selectedLabel,
  excludeId,
  placeholder = '输入名称搜索单位',
  disabled,
  allowClear = true,
  style,
}: Props) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const list = useUnitList({ q: q || undefined, active: 'true', page: 1, pageSize: 50 });
  const options = useMemo(() => {
    const opts = (list.data?.items ?? [])
      .filter((u) => u.id !== excludeId)
      .map((u) => ({
        value: u.id,
        label: u.shortName && u.shortName !== u.name ? `${u.name}（${u.shortName}）` : u.name,
        title: UNIT_KIND_LABELS[u.kind],
      }));
    if (value && selectedLabel && !opts.some((o) => o.value === value)) {
      opts.unshift({ value, label: selectedLabel, title: '' });
    }
    return opts;
  }, [list.data, excludeId, value, selectedLabel]);

  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      options={options}
      loading={list.isFetching}
      placeholder={placeholder}
      disabled={disabled}
      allowClear={allowClear}
      notFoundContent={list.isFetching ? '搜索中…' : '没有匹配的单位'}
      style={{ width: '100%', ...style }}
    />
  );
}
