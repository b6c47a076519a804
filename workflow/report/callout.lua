-- Draw `.callout-warning` divs ourselves, like the HTML stylesheet does: in Typst/PDF as a shaded,
-- left-ruled box; in HTML as a plain <div class="callout-warning"> that report.css styles.
-- The pandoc engine runs this filter for Typst only (its HTML keeps the div as it is). The Quarto
-- engine runs it for both formats before Quarto reads callouts (`at: pre-ast` in
-- quarto-options.yml): Quarto's own callouts would be an unstyled blockquote in its minimal HTML,
-- and in Typst they import a Typst package that Typst downloads at compile time.
local WRAP = {
  typst = { '#block(fill: rgb("#fff7e6"), stroke: (left: 3pt + rgb("#E69F00")), inset: 10pt, radius: 2pt, width: 100%)[', "]" },
  html = { '<div class="callout-warning">', "</div>" },
}

function Div(el)
  local format = FORMAT:match("typst") and "typst" or (FORMAT:match("html") and "html")
  if format and el.classes:includes("callout-warning") then
    local blocks = { pandoc.RawBlock(format, WRAP[format][1]) }
    for _, block in ipairs(el.content) do
      table.insert(blocks, block)
    end
    table.insert(blocks, pandoc.RawBlock(format, WRAP[format][2]))
    return blocks
  end
end
