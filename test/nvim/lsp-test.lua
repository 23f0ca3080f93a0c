-- Neovim (0.7+) as an independent LSP client of the Phasegate server.
-- Run: PHASEGATE_WS=<workspace copy> PHASEGATE_SERVER=<dist/server.js> nvim --headless -u NONE -c 'luafile test/nvim/lsp-test.lua'
-- Neovim 0.7 has no pull diagnostics: the server must publish. Prints what it sees; exits non-zero on failure.
local ws = os.getenv('PHASEGATE_WS')
local server = os.getenv('PHASEGATE_SERVER')
local function log(s) io.stdout:write(s .. '\n') end
local function fail(msg)
  log('FAIL ' .. msg)
  vim.cmd('cquit 1')
end
if not ws or not server then fail('set PHASEGATE_WS and PHASEGATE_SERVER') end

local published = {}
local logged = {}
local client_id = vim.lsp.start_client({
  name = 'phasegate',
  cmd = { 'node', server, '--stdio' },
  root_dir = ws,
  workspace_folders = { { uri = vim.uri_from_fname(ws), name = 'ws' } },
  handlers = {
    ['window/logMessage'] = function(_, result) table.insert(logged, result.message) end,
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      table.insert(published, result)
      vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
    end,
  },
})
if not client_id then fail('the server did not start') end
log('client_id=' .. tostring(client_id))

local file = ws .. '/audit/phase-2/00-PHASE_BRIEF.md'
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(bufnr, client_id)
local uri = vim.uri_from_bufnr(bufnr)

-- The latest publish for our document that satisfies `pred`.
local function latest(pred)
  for i = #published, 1, -1 do
    local p = published[i]
    if p.uri == uri and pred(p) then return p end
  end
  return nil
end
local function has_code(p, code)
  for _, d in ipairs(p.diagnostics) do if d.code == code then return d end end
  return nil
end

local got
if not vim.wait(15000, function() got = latest(function(p) return has_code(p, 'missing-section') ~= nil end); return got ~= nil end, 50) then
  fail('timed out waiting for published diagnostics')
end
for _, d in ipairs(got.diagnostics) do
  log(string.format('diag line=%d col=%d sev=%d src=%s code=%s href=%s msg=%s', d.range.start.line, d.range.start.character, d.severity, d.source, d.code,
    d.codeDescription and d.codeDescription.href or '-', d.message))
end
for _, d in ipairs(vim.diagnostic.get(bufnr)) do log('vim.diagnostic lnum=' .. d.lnum .. ' ' .. d.message) end

-- Quick fix for the missing section, through textDocument/codeAction.
local diag = has_code(got, 'missing-section')
local resp = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
  textDocument = { uri = uri },
  range = diag.range,
  context = { diagnostics = { diag } },
}, 5000)
local fix
for _, r in pairs(resp or {}) do
  for _, a in ipairs(r.result or {}) do
    log('codeaction kind=' .. tostring(a.kind) .. ' title=' .. a.title)
    if a.title:find('Scope') then fix = a end
  end
end
if not fix then fail('no Phasegate quick fix offered for missing-section') end

-- Apply it: Neovim sends didChange, the server publishes again without the problem.
vim.lsp.util.apply_workspace_edit(fix.edit, 'utf-16')
if not vim.wait(15000, function() return latest(function(p) return has_code(p, 'missing-section') == nil end) ~= nil end, 50) then
  fail('the diagnostic did not go away after the quick fix')
end
log('fixed: missing-section gone after the quick fix')

local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', { textDocument = { uri = uri }, position = { line = 8, character = 4 } }, 5000)
for _, r in pairs(hover or {}) do
  local c = r.result and r.result.contents
  log('hover=' .. (type(c) == 'table' and (c.value or '') or tostring(c)):gsub('\n', ' '))
end

-- A file written on disk, outside the editor, then deleted: Neovim 0.7 watches no files for the server (no dynamic
-- registration of workspace/didChangeWatchedFiles), so the server watches the folders itself.
local function no_validation(p)
  for _, d in ipairs(p.diagnostics) do
    if d.code == 'missing-document' and d.message:find('validation checklist (07-VALIDATION.md)', 1, true) then return true end
  end
  return false
end
-- The latest publish for our document after the first `n`, when `pred` holds of it.
local function after(n, pred)
  for i = #published, n + 1, -1 do
    local p = published[i]
    if p.uri == uri then return pred(p) and p or nil end
  end
  return nil
end
if not vim.wait(15000, function()
  for _, m in ipairs(logged) do if m:find('the server watches %d+ folders on disk itself') then return true end end
  return false
end, 50) then fail('the server did not say it watches the folders on disk') end
log('server watches the folders on disk')
local validation = ws .. '/audit/phase-2/07-VALIDATION.md'
local n = #published
local fh = io.open(validation, 'w')
fh:write('# Phase 2 Validation\n\n- [ ] Tests pass\n')
fh:close()
if not vim.wait(15000, function() return after(n, function(p) return not no_validation(p) end) ~= nil end, 50) then
  fail('a validation checklist written on disk did not reach the diagnostics')
end
log('disk: validation checklist written, its missing-document gone')
n = #published
os.remove(validation)
if not vim.wait(15000, function() return after(n, no_validation) ~= nil end, 50) then
  fail('a validation checklist deleted on disk did not reach the diagnostics')
end
log('disk: validation checklist deleted, its missing-document back')

vim.lsp.stop_client(client_id)
vim.cmd('qall!')
