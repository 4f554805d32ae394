import { type InstrumentInput, InstrumentInputSchema } from '@kesu/shared';
import bankJson from '../../../sample/item-bank.json';
import questionnaireJson from '../../../sample/instrument.json';

/**
 * The project's own sample instruments (server/sample/): a questionnaire scored by the current official rule and
 * the 《基准》self-test bank (all 26 基准, at least two items each, every item explained). Validated on load, so
 * a broken sample file fails the first test that imports it.
 */
export const SAMPLE_QUESTIONNAIRE: InstrumentInput = InstrumentInputSchema.parse(questionnaireJson);
export const SAMPLE_ITEM_BANK: InstrumentInput = InstrumentInputSchema.parse(bankJson);
export const SAMPLE_INSTRUMENTS: readonly InstrumentInput[] = [SAMPLE_QUESTIONNAIRE, SAMPLE_ITEM_BANK];
