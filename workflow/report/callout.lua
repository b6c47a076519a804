-- Pandoc engine only (Quarto styles callouts itself): draw `.callout-warning` divs as a shaded,
-- left-ruled box in Typst/PDF, like the HTML stylesheet does.
function Div(el)
  if FORMAT:match("typst") and el.classes:includes("callout-warning") then
    local blocks = { pandoc.RawBlock("typst",
      '#block(fill: rgb("#fff7e6"), stroke: (left: 3pt + rgb("#E69F00")), inset: 10pt, radius: 2pt, width: 100%)[') }
    for _, block in ipairs(el.content) do
      table.insert(blocks, block)
    end
    table.insert(blocks, pandoc.RawBlock("typst", "]"))
    return blocks
  end
end
