import { z } from 'zod';
import type { TranslateBody, Translation } from '../../../shared/conversations.js';
import { LANGUAGE_NAMES } from '../../../shared/languages.js';
import { AiFailedError, AiUnavailableError, type AiGateway } from '../ai/gateway.js';
import { BudgetExhaustedError } from '../budget/budget.service.js';
import type { Glossary } from './glossary.js';

const TranslationOutput = z.object({ translation: z.string().min(1) });

/**
 * Translation on tap: through the AI gateway as a deterministic call (so a repeated word in the same sentence is
 * served from the cache at no cost), else offline from the scenario glossaries, else a clear "not available".
 */
export class TranslateService {
  constructor(
    private readonly gateway: AiGateway,
    private readonly glossary: Glossary,
  ) {}

  async translate(userId: string, requestId: string, body: TranslateBody): Promise<Translation> {
    if (body.from === body.to) return { available: true, translation: body.text, source: 'glossary', cached: false };
    let reason = 'no language model is configured and the offline glossary does not know this text';
    if (this.gateway.configured) {
      try {
        const answer = await this.gateway.complete({
          userId,
          purpose: 'translation',
          requestId,
          language: body.from,
          system:
            `Translate from ${LANGUAGE_NAMES[body.from]} to ${LANGUAGE_NAMES[body.to]}. Give the meaning the text ` +
            'has in the sentence it comes from, as a short dictionary-style translation. Answer JSON only.',
          messages: [
            {
              role: 'user',
              content: body.context ? `Text: ${body.text}\nSentence: ${body.context}` : `Text: ${body.text}`,
            },
          ],
          maxTokens: 120,
          temperature: 0,
          output: { name: 'translation', schema: TranslationOutput },
        });
        return { available: true, translation: answer.data!.translation, source: 'model', cached: answer.cached };
      } catch (err) {
        if (!(
          err instanceof AiUnavailableError ||
          err instanceof AiFailedError ||
          err instanceof BudgetExhaustedError
        )) {
          throw err;
        }
        reason = `${err.message}, and the offline glossary does not know this text`;
      }
    }
    const gloss = body.to === 'en' ? this.glossary.toEnglish(body.from, body.text) : null;
    if (gloss) return { available: true, translation: gloss, source: 'glossary', cached: false };
    return {
      available: false,
      reason: body.to === 'en' ? reason : `${reason} (offline, only translations into English are known)`,
    };
  }
}
