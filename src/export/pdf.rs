//! Pages → one tagged PDF with a page per sheet, text kept as text (embedded Noto Sans
//! subsets), an outline, and document information.
//!
//! svg2pdf 0.13 writes one page per call (`to_pdf`), so for several sheets each page's SVG
//! is converted with `to_chunk` into a Form `XObject`, renumbered into one `pdf-writer`
//! document, and drawn on its own page scaled to the sheet size.

use super::options::ExportError;
use super::page::Page;
use super::raster::parse_svg;
use super::svg::page_to_svg;
use pdf_writer::types::StructRole;
use pdf_writer::writers::StructTreeRoot;
use pdf_writer::{Content, Finish, Name, Pdf, Rect as PdfRect, Ref, TextStr};
use std::collections::HashMap;

/// PDF points per page pixel (1/96 in → 1/72 in).
const PT_PER_PX: f32 = 72.0 / 96.0;

/// What the PDF says about itself: its document information (title, the persona as the
/// subject, the themes as keywords) and the alternative text of each page's picture.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PdfInfo {
    pub title: String,
    pub subject: String,
    pub keywords: String,
    /// What the canvas shows, in words, for screen readers and reflow (in English).
    pub description: String,
    /// The language the canvas is written in, when its words tell.
    pub lang: Option<&'static str>,
}

impl PdfInfo {
    pub fn of(doc: &crate::model::Document) -> Self {
        let title = if doc.title.trim().is_empty() {
            "Untitled journey".to_owned()
        } else {
            doc.title.trim().to_owned()
        };
        let names = |v: Vec<&str>| v.join(", ");
        let subject = names(
            doc.personas
                .iter()
                .map(|p| p.name.trim())
                .filter(|n| !n.is_empty())
                .collect(),
        );
        let report = crate::scoring::score(doc);
        let description = format!(
            "Journey map “{title}”{}: {} stages ({}), {} lanes ({}), {} touchpoints, {} flows; coherence {} out of 100.",
            if subject.is_empty() {
                String::new()
            } else {
                format!(" for {subject}")
            },
            doc.stages.len(),
            names(doc.stages.iter().map(|s| s.name.as_str()).collect()),
            doc.lanes.len(),
            names(doc.lanes.iter().map(|l| l.name.as_str()).collect()),
            doc.touchpoints.len(),
            doc.flows.len(),
            report.total
        );
        Self {
            subject,
            keywords: names(doc.themes.iter().map(|t| t.name.as_str()).collect()),
            title,
            description,
            lang: crate::scoring::language(doc),
        }
    }
}

/// The outline entry and alternative text of a page.
fn page_label(page: &Page, i: usize, n: usize) -> String {
    match page.tile {
        Some((r, c)) => format!(
            "Sheet {} ({} of {n}: row {}, column {})",
            super::page::sheet_code(r, c),
            i + 1,
            r + 1,
            c + 1
        ),
        None if n == 1 => "Journey map".to_owned(),
        None => format!("Page {}", i + 1),
    }
}

/// Converts the pages to one tagged PDF: each page's picture is a `Figure` in the
/// structure tree with the canvas described in words, each page has an outline entry,
/// and the document information names the journey, its persona and its themes.
/// `progress(done, total)` returns `false` to cancel.
pub fn write_pdf(
    pages: &[Page],
    info: &PdfInfo,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Vec<u8>, ExportError> {
    let mut alloc = Ref::new(1);
    let catalog_id = alloc.bump();
    let tree_id = alloc.bump();
    let info_id = alloc.bump();
    let struct_root_id = alloc.bump();
    let document_id = alloc.bump();
    let outline_id = alloc.bump();
    let mut pdf = Pdf::new();
    let mut page_ids = Vec::with_capacity(pages.len());
    let mut figure_ids = Vec::with_capacity(pages.len());
    let mut parent_arrays = Vec::with_capacity(pages.len());
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
        p.struct_parents(i as i32);
        p.resources().x_objects().pair(svg_name, xobject);
        p.finish();
        // The XObject is one point square; scale it to the sheet. The drawing is one
        // marked figure, which the structure tree describes.
        let mut content = Content::new();
        content
            .begin_marked_content_with_properties(Name(b"Figure"))
            .properties()
            .identify(0);
        content.save_state();
        content.transform([w, 0.0, 0.0, h, 0.0, 0.0]);
        content.x_object(svg_name);
        content.restore_state();
        content.end_marked_content();
        pdf.stream(content_id, &content.finish());
        pdf.extend(&chunk);
        let figure_id = alloc.bump();
        let label = page_label(page, i, pages.len());
        pdf.struct_element(figure_id)
            .kind(StructRole::Figure)
            .parent(document_id)
            .page(page_id)
            .title(TextStr(&label))
            .alt(TextStr(&format!("{label}. {}", info.description)))
            // The alternative text is written in English, whatever the canvas's language.
            .lang(TextStr("en"))
            .children()
            .marked_content_id(0);
        let array_id = alloc.bump();
        pdf.indirect(array_id).array().item(figure_id);
        page_ids.push(page_id);
        figure_ids.push(figure_id);
        parent_arrays.push(array_id);
        if !progress(i + 1, pages.len()) {
            return Err(ExportError::Cancelled);
        }
    }
    pdf.struct_element(document_id)
        .kind(StructRole::Document)
        .parent(struct_root_id)
        .title(TextStr(&info.title))
        .children()
        .items(figure_ids.iter().copied());
    {
        let mut root = pdf.indirect(struct_root_id).start::<StructTreeRoot>();
        root.child(document_id);
        let mut tree = root.parent_tree();
        let mut nums = tree.nums();
        for (i, array) in parent_arrays.iter().enumerate() {
            nums.insert(i as i32, *array);
        }
        nums.finish();
        tree.finish();
        root.parent_tree_next_key(pages.len() as i32);
    }
    // The outline: one entry per page or sheet.
    let item_ids: Vec<Ref> = (0..pages.len()).map(|_| alloc.bump()).collect();
    if let (Some(first), Some(last)) = (item_ids.first(), item_ids.last()) {
        pdf.outline(outline_id)
            .first(*first)
            .last(*last)
            .count(item_ids.len() as i32);
    }
    for (i, (page, id)) in pages.iter().zip(&item_ids).enumerate() {
        let mut item = pdf.outline_item(*id);
        item.parent(outline_id)
            .title(TextStr(&page_label(page, i, pages.len())));
        if i > 0 {
            item.prev(item_ids[i - 1]);
        }
        if let Some(next) = item_ids.get(i + 1) {
            item.next(*next);
        }
        item.dest().page(page_ids[i]).fit();
    }
    {
        let mut catalog = pdf.catalog(catalog_id);
        catalog.pages(tree_id);
        catalog.outlines(outline_id);
        catalog.pair(Name(b"StructTreeRoot"), struct_root_id);
        catalog.mark_info().marked(true);
        if let Some(lang) = info.lang {
            catalog.lang(TextStr(lang));
        }
        catalog.page_mode(pdf_writer::types::PageMode::UseOutlines);
    }
    pdf.pages(tree_id)
        .kids(page_ids.iter().copied())
        .count(page_ids.len() as i32);
    let mut doc_info = pdf.document_info(info_id);
    doc_info
        .title(TextStr(&info.title))
        .creator(TextStr("Stagecraft"));
    if !info.subject.is_empty() {
        doc_info.subject(TextStr(&info.subject));
    }
    if !info.keywords.is_empty() {
        doc_info.keywords(TextStr(&info.keywords));
    }
    doc_info.finish();
    Ok(pdf.finish())
}
