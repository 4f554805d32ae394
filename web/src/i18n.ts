import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';

// Chinese is the only language today. Texts sit inline in the components; a second language would move them into
// per-feature message tables keyed here, with the antd and dayjs locales switched together.
dayjs.locale('zh-cn');

export const antdLocale = zhCN;
