import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import { type Database, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createAuthenticator } from './http/auth.js';
import { registerErrorHandler, sendRouteNotFound } from './http/errors.js';
import { computeSecurityHeaders } from './http/security-headers.js';
import { type TimerClock, systemClock } from './lib/clock.js';
import { type IdGenerator, randomIds } from './lib/ids.js';
import { every } from './lib/periodic.js';
import { authRoutes, userAdminRoutes } from './modules/auth/auth.routes.js';
import { AuthService } from './modules/auth/auth.service.js';
import { PasswordHasher } from './modules/auth/password.js';
import { cardRoutes } from './modules/cards/cards.routes.js';
import { CardService } from './modules/cards/cards.service.js';
import { createCardTransferRepository } from './modules/card-transfer/card-transfer.repository.js';
import { cardTransferRoutes } from './modules/card-transfer/card-transfer.routes.js';
import { CardTransferService } from './modules/card-transfer/card-transfer.service.js';
import { createReviewRepository } from './modules/review/review.repository.js';
import { reviewRoutes } from './modules/review/review.routes.js';
import { ReviewService } from './modules/review/review.service.js';
import { createReviewStatsRepository } from './modules/review-stats/review-stats.repository.js';
import { reviewStatsRoutes } from './modules/review-stats/review-stats.routes.js';
import { ReviewStatsService } from './modules/review-stats/review-stats.service.js';
import { createOptimizerRepository } from './modules/optimizer/optimizer.repository.js';
import { optimizerRoutes } from './modules/optimizer/optimizer.routes.js';
import { OptimizerService } from './modules/optimizer/optimizer.service.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { createLearningSessionsRepository } from './modules/learning-sessions/learning-sessions.repository.js';
import { learningSessionRoutes } from './modules/learning-sessions/learning-sessions.routes.js';
import { LearningSessionService } from './modules/learning-sessions/learning-sessions.service.js';
import { startIdleSweep } from './modules/learning-sessions/idle-sweep.js';
import { aiAdminRoutes } from './modules/ai/ai-admin.routes.js';
import { aiRoutes } from './modules/ai/ai.routes.js';
import { AiGateway } from './modules/ai/gateway.js';
import { ResponseCache } from './modules/ai/response-cache.js';
import { AiRouter } from './modules/ai/router.js';
import { createBudgetRepository } from './modules/budget/budget.repository.js';
import { budgetAdminRoutes, budgetRoutes } from './modules/budget/budget.routes.js';
import { BudgetService, RESERVATION_PRUNE_INTERVAL_MS } from './modules/budget/budget.service.js';
import { loadCatalogue, loadFreeTopics } from './modules/scenarios/catalogue.js';
import { createConversationsRepository } from './modules/conversations/conversations.repository.js';
import { conversationRoutes, translateRoutes } from './modules/conversations/conversations.routes.js';
import { ConversationService } from './modules/conversations/conversations.service.js';
import { LlmTutor } from './modules/tutor/llm-tutor.js';
import { OfflineTutor } from './modules/tutor/offline/offline-tutor.js';
import { SpellingService } from './modules/tutor/offline/spelling.js';
import { TARGET_LANGUAGES } from '../shared/languages.js';
import type { SpellChecker } from './modules/tutor/offline/spelling.js';
import { Glossary } from './modules/translate/glossary.js';
import { TranslateService } from './modules/translate/translate.service.js';
import { createScenariosRepository } from './modules/scenarios/scenarios.repository.js';
import { scenarioRoutes } from './modules/scenarios/scenarios.routes.js';
import { ScenarioService } from './modules/scenarios/scenarios.service.js';

export interface AppDeps {
  clock?: TimerClock;
  ids?: IdGenerator;
  /** An already-open database (tests, the CLI); otherwise one is opened from `config.databaseUrl` and closed with the app. */
  database?: Database;
  /**
   * The Hunspell spelling service. Its dictionaries take seconds and hundreds of MB to load, so tests pass one
   * shared instance; otherwise the app makes its own and closes it with the app.
   */
  spelling?: SpellChecker;
}

export interface Services {
  database: Database;
  auth: AuthService;
  learningSessions: LearningSessionService;
  cards: CardService;
  review: ReviewService;
  reviewStats: ReviewStatsService;
  optimizer: OptimizerService;
  cardTransfer: CardTransferService;
  scenarios: ScenarioService;
  budget: BudgetService;
  aiRouter: AiRouter;
  ai: AiGateway;
  spelling: SpellChecker;
  conversations: ConversationService;
  translate: TranslateService;
  /** Releases what the services hold besides the database (the spelling worker). */
  close(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

/** Deterministic AI answers kept in memory (translations of a word in a sentence are a few hundred bytes each). */
const AI_CACHE_ENTRIES = 5_000;

/** Wires the services over one database; shared by the HTTP app and the CLI. */
export async function buildServices(config: Config, deps: AppDeps = {}): Promise<Services> {
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;
  const database = deps.database ?? openDatabase(config.databaseUrl);
  await migrateToLatest(database.db, database.schema);
  const auth = new AuthService({ db: database.db, clock, ids, passwords: new PasswordHasher(config.scryptLog2N) });
  const learningSessions = new LearningSessionService({
    database,
    repo: createLearningSessionsRepository(database.dialect),
    clock,
    ids,
    idleMs: config.sessionIdleMs,
  });
  const cards = new CardService({ database, clock, ids });
  const review = new ReviewService({
    database,
    repo: createReviewRepository(database.dialect),
    learningSessions,
    clock,
    ids,
  });
  const reviewStats = new ReviewStatsService({ database, repo: createReviewStatsRepository(), clock });
  const optimizer = new OptimizerService({
    database,
    repo: createOptimizerRepository(),
    review: createReviewRepository(database.dialect),
    clock,
  });
  const cardTransfer = new CardTransferService({
    database,
    cards,
    review: createReviewRepository(database.dialect),
    repo: createCardTransferRepository(),
    clock,
    ids,
  });
  const scenarios = new ScenarioService({
    database,
    repo: createScenariosRepository(),
    catalogue: loadCatalogue(config.contentDir),
    clock,
    ids,
  });
  const budget = new BudgetService({ database, repo: createBudgetRepository(database.dialect), clock, ids });
  const aiRouter = new AiRouter({ providers: config.ai.providers, clock, options: config.ai.router });
  const ai = new AiGateway({ router: aiRouter, budget, cache: new ResponseCache(AI_CACHE_ENTRIES), clock });
  const ownSpelling = deps.spelling ? null : new SpellingService();
  const spelling = deps.spelling ?? ownSpelling!;
  const offline = new OfflineTutor({ spelling });
  const catalogue = scenarios.catalogue;
  const conversations = new ConversationService({
    database,
    repo: createConversationsRepository(database.dialect),
    scenarios,
    learningSessions,
    cards,
    gateway: ai,
    offline,
    llm: new LlmTutor(ai, offline),
    freeTopics: loadFreeTopics(config.contentDir),
    clock,
    ids,
  });
  const translate = new TranslateService(ai, new Glossary(catalogue.scenarios));
  return {
    close: async () => {
      await ownSpelling?.close();
    },
    spelling,
    conversations,
    translate,
    database,
    auth,
    learningSessions,
    cards,
    review,
    reviewStats,
    optimizer,
    cardTransfer,
    scenarios,
    budget,
    aiRouter,
    ai,
  };
}

/**
 * The composition root: builds the whole application — database (migrated), services, HTTP routes, API docs,
 * the web UI and the background sweep — without listening, so tests drive it with `app.inject`.
 */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<FastifyInstance> {
  const services = await buildServices(config, deps);
  if (config.admin) await services.auth.ensureFirstAdmin(config.admin.email, config.admin.password);

  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.apiKey'],
    },
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    trustProxy: config.trustProxy,
    routerOptions: { maxParamLength: 1000 },
  }).withTypeProvider<ZodTypeProvider>();
  app.decorate('services', services);
  app.decorateRequest('principal', null);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  await app.register(cookie);
  const securityHeaders = computeSecurityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(securityHeaders);
    done();
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Language Tutor API',
        version: '0.1.0',
        description: 'Every answer is JSON; errors are `{ "error": { "code", "message", "details"? } }`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token from POST /api/auth/tokens' },
          cookie: {
            type: 'apiKey',
            in: 'cookie',
            name: 'tutor_session',
            description: 'Browser session; unsafe methods also need the x-csrf-token header',
          },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  const authn = createAuthenticator(services.auth, { cookieSecure: config.cookieSecure });
  await app.register(healthRoutes(services.database.db), { prefix: '/api' });
  await app.register(authRoutes(services.auth, authn), { prefix: '/api/auth' });
  await app.register(userAdminRoutes(services.auth, authn), { prefix: '/api/admin' });
  await app.register(learningSessionRoutes(services.learningSessions, authn), { prefix: '/api/learning-sessions' });
  await app.register(cardRoutes(services.cards, authn), { prefix: '/api/cards' });
  await app.register(reviewRoutes(services.review, authn), { prefix: '/api/review' });
  await app.register(reviewStatsRoutes(services.reviewStats, authn), { prefix: '/api/review' });
  services.optimizer.reportError = (err) => app.log.error({ err }, 'FSRS optimisation failed');
  await app.register(optimizerRoutes(services.optimizer, authn), { prefix: '/api/review' });
  await app.register(cardTransferRoutes(services.cardTransfer, authn), { prefix: '/api/cards' });
  await app.register(budgetRoutes(services.budget, authn), { prefix: '/api/budget' });
  await app.register(budgetAdminRoutes(services.budget, authn), { prefix: '/api/admin' });
  await app.register(aiAdminRoutes(services.aiRouter, authn), { prefix: '/api/admin/ai' });
  await app.register(aiRoutes(services.ai, authn), { prefix: '/api/ai' });
  await app.register(conversationRoutes(services.conversations, authn), { prefix: '/api/conversations' });
  await app.register(translateRoutes(services.translate, authn), { prefix: '/api/translate' });
  await app.register(scenarioRoutes(services.scenarios, authn), { prefix: '/api/scenarios' });

  const serveWeb = config.webDistDir !== null && existsSync(resolve(config.webDistDir, 'index.html'));
  if (serveWeb) await app.register(fastifyStatic, { root: resolve(config.webDistDir!), wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    // The web UI routes on the client: any other GET outside /api gets its page — except paths naming a file
    // (a stale /assets/*.js after a deploy must be a 404, not HTML).
    const path = request.url.split('?')[0]!;
    if (serveWeb && request.method === 'GET' && !path.startsWith('/api') && !/\.[a-z0-9]+$/i.test(path)) {
      return reply.sendFile('index.html');
    }
    return sendRouteNotFound(request, reply);
  });

  if (!deps.spelling && services.spelling instanceof SpellingService) {
    // The dictionaries load in the spelling worker now rather than on a learner's first message (≈ 2 s, 110 MB).
    services.spelling.preload([...TARGET_LANGUAGES]).catch((err: unknown) => {
      app.log.warn({ err }, 'could not load the spelling dictionaries; spelling feedback is off until they load');
    });
  }
  const stopSweep = startIdleSweep(services.learningSessions, config.sweepIntervalMs, app.log);
  const stopPrune = every(
    RESERVATION_PRUNE_INTERVAL_MS,
    async () => {
      const pruned = await services.budget.pruneReservations();
      if (pruned > 0) app.log.info({ pruned }, 'pruned old budget reservations');
    },
    (err) => app.log.error({ err }, 'pruning budget reservations failed'),
  );
  app.addHook('onClose', async () => {
    stopSweep();
    stopPrune();
    // A running fit stops at its next progress report and records that; the database closes only after.
    await services.optimizer.close();
    await services.close();
    if (!deps.database) await services.database.close();
  });
  return app;
}
