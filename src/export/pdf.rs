//! Pages → one PDF with a page per sheet, text kept as text (embedded Noto Sans subsets).
//!
//! svg2pdf 0.13 writes one page per call (`to_pdf`), so for several sheets each page's SVG
//! is converted with `to_chunk` into a Form XObject, renumbered into one `pdf-writer`
//! document, and drawn on its own page scaled to the sheet size.

use super::options::ExportError;
use super::page::Page;
use super::raster::parse_svg;
use super::svg::page_to_svg;
use pdf_writer::{Content, Finish, Name, Pdf, Rect as PdfRect, Ref, TextStr};
use std::collections::HashMap;

/// PDF points per page pixel (1/96 in → 1/72 in).
const PT_PER_PX: f32 = 72.0 / 96.0;

/// Converts the pages to PDF. `progress(done, total)` returns `false` to cancel.
pub fn write_pdf(
    pages: &[Page],
    title: &str,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Vec<u8>, ExportError> {
    let mut alloc = Ref::new(1);
    let catalog_id = alloc.bump();
    let tree_id = alloc.bump();
    let info_id = alloc.bump();
    let mut pdf = Pdf::new();
    let mut page_ids = Vec::with_capacity(pages.len());
    let svg_name = Name(b"S1");
    for (i, page) in pages.iter().enumerate() {
        let svg = page_to_svg(page, None, None);
        let tree = parse_svg(&svg)?;
        let (chunk, root) = svg2pdf::to_chunk(&tree, svg2pdf::ConversionOptions::default())
            .map_err(|e| ExportError::Render(format!("PDF conversion: {e}")))?;
        let mut map = HashMap::new();
        let chunk = chunk.renumber(|old| *map.entry(old).or_insert_with(|| alloc.bump()));
        let xobject = *map
            .get(&root)
            .ok_or_else(|| ExportError::Render("PDF conversion lost its root object".into()))?;
        let page_id = alloc.bump();
        let content_id = alloc.bump();
        let (w, h) = (page.width * PT_PER_PX, page.height * PT_PER_PX);
        let mut p = pdf.page(page_id);
        p.media_box(PdfRect::new(0.0, 0.0, w, h));
        p.parent(tree_id);
        p.contents(content_id);
        p.resources().x_objects().pair(svg_name, xobject);
        p.finish();
        // The XObject is one point square; scale it to the sheet.
        let mut content = Content::new();
        content.save_state();
        content.transform([w, 0.0, 0.0, h, 0.0, 0.0]);
        content.x_object(svg_name);
        content.restore_state();
        pdf.stream(content_id, &content.finish());
        pdf.extend(&chunk);
        page_ids.push(page_id);
        if !progress(i + 1, pages.len()) {
            return Err(ExportError::Cancelled);
        }
    }
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    pdf.document_info(info_id)
        .title(TextStr(title))
        .creator(TextStr("Stagecraft"));
    Ok(pdf.finish())
}
