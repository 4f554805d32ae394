import {
  DOCUMENT_PLACEHOLDERS,
  type DocumentKind,
  type DocumentTemplateFields,
  placeholdersIn,
  TEMPLATE_FIELD_LABELS,
  TEMPLATE_FIELDS,
} from '@kesu/shared';
import { AppError } from '../../errors';

/**
 * The shipped text of each kind of document, used by a level until its admin saves its own. Figures come in through
 * {{placeholders}} (DOCUMENT_PLACEHOLDERS lists each kind's); the tables, charts and lists are made from the data.
 */
export const DEFAULT_TEMPLATES: Record<DocumentKind, DocumentTemplateFields> = {
  bulletin: {
    docNumber: '徐科协〔{{年份}}〕1号',
    title: '关于{{周期名称}}全民科学素质行动规划实施进展情况的通报',
    intro:
      '根据《{{规划名称}}》工作安排，现将{{周期名称}}各责任单位进展填报和指标完成情况通报如下。截至{{截至日期}}，本周期应报{{应报数}}项，按时报送{{按时报送数}}项，逾期报送{{逾期报送数}}项，未报{{未报数}}项，按时报送率{{按时报送率}}；红灯指标{{红灯指标数}}个，黄灯指标{{黄灯指标数}}个，绿灯指标{{绿灯指标数}}个；督办事项{{督办总数}}件，其中逾期未办结{{督办逾期数}}件。',
    closing:
      '请各责任单位对照本通报，认真分析进度滞后原因，落实整改措施，按时保质报送进展情况；红灯指标的牵头单位须在下一填报周期前书面说明整改情况。',
    signature: '{{发文机关}}',
  },
  annual: {
    docNumber: '徐科协〔{{年份}}〕2号',
    title: '{{年份}}年度全民科学素质行动规划实施情况报告',
    intro:
      '{{年份}}年，各地各部门按照《{{规划名称}}》部署，扎实推进全民科学素质建设。截至{{截至日期}}，规划总体完成进度{{总体进度}}；{{指标总数}}个指标中，绿灯{{绿灯指标数}}个、黄灯{{黄灯指标数}}个、红灯{{红灯指标数}}个；年末填报周期按时报送率{{按时报送率}}；公民具备科学素质的比例为{{科学素质比例}}（95%置信区间{{置信区间}}）。现将有关情况报告如下。',
    closing:
      '下一年度，将聚焦红灯、黄灯指标和进度滞后任务，加强督促检查与工作交流，完善考核评估和表彰奖励机制，确保规划目标如期实现。',
    signature: '{{发文机关}}',
  },
  notice: {
    docNumber: '徐科协督〔{{年份}}〕号',
    title: '督办通知书',
    intro:
      '{{责任单位}}：\n根据全民科学素质行动规划实施工作安排，现将以下事项交你单位办理（督办等级：{{督办等级}}）。',
    closing:
      '请接到本通知书后及时签收，认真研究落实，于{{办理时限}}前办结并在系统中回复办理情况、上传佐证材料。逾期未办结的，将予以通报并纳入年度考核。',
    signature: '{{发文机关}}',
  },
  'unit-summary': {
    docNumber: '',
    title: '{{单位名称}}{{年份}}年度全民科学素质工作情况',
    intro:
      '{{年份}}年，{{单位名称}}承担《{{规划名称}}》任务{{任务数}}项，全年报送进展报告{{报告数}}份，年末填报周期按时报送率{{按时报送率}}，收到督办事项{{督办总数}}件。具体情况如下。',
    closing: '下一年度，本单位将针对进度滞后的任务和指标，细化措施、压实责任，确保各项任务按期完成。',
    signature: '{{单位名称}}',
  },
};

/** Refuses a template that uses a placeholder its kind does not know (DOCUMENT_TEMPLATE_PLACEHOLDER, 422). */
export function checkTemplatePlaceholders(kind: DocumentKind, fields: DocumentTemplateFields): void {
  const known = new Set(DOCUMENT_PLACEHOLDERS[kind]);
  for (const field of TEMPLATE_FIELDS) {
    const unknown = placeholdersIn(fields[field]).filter((p) => !known.has(p));
    if (unknown.length > 0) {
      throw new AppError(
        'DOCUMENT_TEMPLATE_PLACEHOLDER',
        `「${TEMPLATE_FIELD_LABELS[field]}」中的占位符${unknown.map((u) => `{{${u}}}`).join('、')}不可用，本类文档可用的占位符：${DOCUMENT_PLACEHOLDERS[kind].join('、')}`,
        { field, unknown },
      );
    }
  }
}
