/** A user agent as people say it: "Chrome · Windows", "微信 · iPhone". Unknown parts are left out. */
export function describeDevice(ua: string | null | undefined): string {
  if (!ua) return '未知设备';
  const browser = /MicroMessenger/i.test(ua)
    ? '微信'
    : /DingTalk/i.test(ua)
      ? '钉钉'
      : /Edg\//.test(ua)
        ? 'Edge'
        : /OPR\/|Opera/.test(ua)
          ? 'Opera'
          : /Firefox\//.test(ua)
            ? 'Firefox'
            : /(Chrome|Chromium|CriOS)\//.test(ua)
              ? 'Chrome'
              : /Safari\//.test(ua)
                ? 'Safari'
                : /curl|node|undici|python/i.test(ua)
                  ? '程序'
                  : '';
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /iPhone/.test(ua)
      ? 'iPhone'
      : /iPad/.test(ua)
        ? 'iPad'
        : /Android/.test(ua)
          ? 'Android'
          : /Mac OS X|Macintosh/.test(ua)
            ? 'macOS'
            : /HarmonyOS/.test(ua)
              ? '鸿蒙'
              : /Linux/.test(ua)
                ? 'Linux'
                : '';
  return [browser, os].filter(Boolean).join(' · ') || '其他设备';
}
