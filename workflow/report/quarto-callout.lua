-- Quarto engine only, run before Quarto reads callouts (`at: pre-ast` in quarto-options.yml):
-- wrap `.callout-warning` divs in a plain <div class="callout-warning"> so the HTML looks as it does
-- under pandoc (styled by report.css). Quarto's own callout would, with `minimal: true`, be an
-- unstyled blockquote. The Typst/PDF side uses callout.lua, shared with the pandoc engine.
function Div(el)
  if FORMAT:match("html") and el.classes:includes("callout-warning") then
    local blocks = { pandoc.RawBlock("html", '<div class="callout-warning">') }
    for _, block in ipairs(el.content) do
      table.insert(blocks, block)
    end
    table.insert(blocks, pandoc.RawBlock("html", "</div>"))
    return blocks
  end
end
