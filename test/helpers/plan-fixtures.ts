/** A small iAI project for the tests of the project plan: its prompts, a response with execution proof, and the plan. */

export const fence = '```';

/** An implementation prompt of phase `n`, titled `title`, with each section the rules want. */
export const PROMPT = (n: number, title: string) =>
  `# Phase ${n}: ${title}\n\n## Objective\n\nDo it.\n\n## Deliverables\n\n- Branching strategy document\n\n## Tests Required\n\n- Unit tests\n\n## Acceptance Criteria\n\n- [ ] It works\n`;

/** Phase 1's response, its execution proof `proof`. */
const response = (proof: string) =>
  `# Phase 1 Response: CI Setup\n\n## Summary\n\nDone.\n\n## Deliverables\n\n- [x] Branching strategy: \`docs/branching.md\`\n\n## Tests\n\n- \`tests/test_ci.py::test_ok\`\n\n## Execution Proof\n\n${fence}text\n${proof}\n${fence}\n`;
/** A response whose tests passed: its phase complete. */
export const PASSED = response('$ pytest -q\n2 passed, 0 failed in 0.12s');
/** A response whose tests failed: its phase not complete. */
export const FAILED = response('1 passed, 1 failed');

export const PLAN = 'proj/project_implementation_plan.md';
export const WS = 'proj/workstreams';

/** Build/Phase_1_CI (with its response `resp`), Build/Phase_2_Deps and Test/Phase_3_UAT (prompts only), the plan, and `extra`. */
export const files = (plan: string, resp = PASSED, extra: Record<string, string> = {}) => ({
  [PLAN]: plan,
  [`${WS}/Build/Phase_1_CI/implementation_prompt.md`]: PROMPT(1, 'CI Setup'),
  [`${WS}/Build/Phase_1_CI/implementation_response_from_AI.md`]: resp,
  [`${WS}/Build/Phase_2_Deps/implementation_prompt.md`]: PROMPT(2, 'Dependencies'),
  [`${WS}/Test/Phase_3_UAT/implementation_prompt.md`]: PROMPT(3, 'Performance & UAT'),
  ...extra,
});
