-- Row headers for screen readers: the first cell of every body row becomes a row header
-- (<th scope="row"> in HTML) and header cells get scope="col". Used by both engines (Quarto reads
-- it from the front matter's `filters:`, the pandoc engine passes it with --lua-filter).
function Table(tbl)
  for _, body in ipairs(tbl.bodies) do
    body.row_head_columns = 1
    for _, row in ipairs(body.body) do
      if row.cells[1] then row.cells[1].attributes.scope = "row" end
    end
  end
  for _, row in ipairs(tbl.head.rows) do
    for _, cell in ipairs(row.cells) do cell.attributes.scope = "col" end
  end
  return tbl
end
