"""Reports stage: country and comparative reports from the pipeline's tables, Jupyter-free.

``extracts`` cuts the per-country extracts of the cross-country tables (declared in ``tables``),
``figures`` draws the matplotlib figures, ``content`` turns tables into markdown and template
context, ``assemble`` fills the Jinja2 templates of ``workflow/report/`` into ``.qmd`` files and
``render`` renders them with Quarto or pandoc + Typst. Rules: ``report_extracts``,
``country_report``, ``comparative_report`` and ``render_info`` (``workflow/rules/reports.smk``).
"""
