//! The Export window: paper, orientation, resolution or scale, margins, legend and summary,
//! tiles, format and file; the export runs on a background thread with a progress bar, so
//! the canvas stays responsive, and can be cancelled.
//!
//! The editor opens it from its File menu (`dialog.open()`) and calls
//! [`ExportDialog::ui`] every frame. Rendering lives in [`crate::export`]; this file only
//! collects options and shows progress.

use crate::export::{
    self, ExportOptions, Format, Orientation, Paper, Progress, Tiles, options as limits,
};
use crate::model::Document;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};

/// Height kept clear at the top of the window for the menu bar.
const MENU_BAR_ROOM: f32 = 36.0;

/// Messages from the export thread to the window.
enum Msg {
    Progress(Progress),
    Done(Result<Vec<PathBuf>, String>),
}

/// A running export.
struct Job {
    rx: Receiver<Msg>,
    cancel: Arc<AtomicBool>,
    progress: Progress,
}

/// State of the Export window; keep one in the app and call [`ExportDialog::ui`] each frame.
pub struct ExportDialog {
    /// Whether the window is shown.
    pub open: bool,
    format: Format,
    paper: Paper,
    orientation: Orientation,
    dpi: f32,
    fixed_scale: bool,
    scale: f32,
    margin_mm: f32,
    legend: bool,
    summary: bool,
    dark: bool,
    text_as_paths: bool,
    hatch_assumed: bool,
    emotion_curve: bool,
    tiled: bool,
    cols: usize,
    rows: usize,
    overlap_mm: f32,
    /// The output file as typed or chosen.
    path: String,
    job: Option<Job>,
    /// The outcome of the last export, shown under the buttons.
    outcome: Option<Result<Vec<PathBuf>, String>>,
}

impl Default for ExportDialog {
    fn default() -> Self {
        let o = ExportOptions::default();
        Self {
            open: false,
            format: Format::Png,
            paper: o.paper,
            orientation: o.orientation,
            dpi: o.dpi,
            fixed_scale: false,
            scale: 1.0,
            margin_mm: o.margin_mm,
            legend: o.legend,
            summary: o.summary,
            dark: false,
            text_as_paths: false,
            hatch_assumed: o.hatch_assumed,
            emotion_curve: o.emotion_curve,
            tiled: false,
            cols: 2,
            rows: 2,
            overlap_mm: o.overlap_mm,
            path: String::new(),
            job: None,
            outcome: None,
        }
    }
}

/// A file name from the canvas title: letters, digits and dashes.
fn file_stem(title: &str) -> String {
    let mut stem: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    while stem.contains("--") {
        stem = stem.replace("--", "-");
    }
    let stem = stem.trim_matches('-');
    if stem.is_empty() {
        "canvas".to_owned()
    } else {
        stem.chars().take(60).collect()
    }
}

impl ExportDialog {
    /// Shows the window (the editor's File → Export… calls this).
    pub fn open(&mut self) {
        self.open = true;
        // What the last export said belongs to that export, not to this one.
        if self.job.is_none() {
            self.outcome = None;
        }
    }

    /// Hides the window (Close, Escape, the title bar's ×); a running export goes on.
    pub fn close(&mut self) {
        self.open = false;
    }

    /// Whether an export is running.
    pub fn is_running(&self) -> bool {
        self.job.is_some()
    }

    /// The options the window currently describes.
    pub fn options(&self) -> ExportOptions {
        ExportOptions {
            paper: self.paper,
            orientation: self.orientation,
            dpi: self.dpi,
            scale: self.fixed_scale.then_some(self.scale),
            margin_mm: self.margin_mm,
            legend: self.legend,
            summary: self.summary,
            tiles: if self.tiled && self.paper != Paper::Fit {
                Tiles::Grid {
                    cols: self.cols,
                    rows: self.rows,
                }
            } else {
                Tiles::Off
            },
            overlap_mm: self.overlap_mm,
            dark: self.dark,
            text_as_paths: self.text_as_paths,
            hatch_assumed: self.hatch_assumed,
            emotion_curve: self.emotion_curve,
        }
    }

    /// Sets the output file (tests and the editor's "Export again" may use it).
    pub fn set_path(&mut self, path: impl Into<PathBuf>) {
        let path: PathBuf = path.into();
        if let Some(f) = Format::from_path(&path) {
            self.format = f;
        }
        self.path = path.display().to_string();
    }

    /// The message under the buttons: where the files went, or why the export failed.
    pub fn outcome(&self) -> Option<&Result<Vec<PathBuf>, String>> {
        self.outcome.as_ref()
    }

    /// Draws the window (when open) and collects progress from a running export.
    pub fn ui(&mut self, ctx: &egui::Context, doc: &Document) {
        self.poll(ctx);
        if !self.open {
            return;
        }
        let mut title_bar_open = true;
        // Below the menu bar, so that the menus stay in reach while the window is open.
        let room = ctx
            .content_rect()
            .with_min_y(ctx.content_rect().min.y + MENU_BAR_ROOM);
        egui::Window::new("Export canvas")
            .open(&mut title_bar_open)
            .resizable(false)
            .collapsible(false)
            .default_width(380.0)
            .default_pos(room.center_top() + egui::vec2(-190.0, 24.0))
            .constrain_to(room)
            .show(ctx, |ui| self.contents_ui(ui, doc));
        // Escape closes it unless a text field or a menu is using the key.
        let escape = !ctx.egui_wants_keyboard_input()
            && !egui::Popup::is_any_open(ctx)
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape));
        // Closing the window does not stop an export; it keeps running and reports here.
        if !title_bar_open || escape {
            self.close();
        }
    }

    /// Drains messages from the export thread.
    fn poll(&mut self, ctx: &egui::Context) {
        let Some(job) = &mut self.job else {
            return;
        };
        let mut done = None;
        while let Ok(msg) = job.rx.try_recv() {
            match msg {
                Msg::Progress(p) => job.progress = p,
                Msg::Done(r) => done = Some(r),
            }
        }
        if let Some(r) = done {
            self.outcome = Some(r);
            self.job = None;
        } else {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    fn contents_ui(&mut self, ui: &mut egui::Ui, doc: &Document) {
        let running = self.job.is_some();
        ui.add_enabled_ui(!running, |ui| self.options_ui(ui, doc));
        ui.separator();
        self.actions_ui(ui, doc);
    }

    fn options_ui(&mut self, ui: &mut egui::Ui, doc: &Document) {
        egui::Grid::new("export_options")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                ui.label("Format");
                ui.horizontal(|ui| {
                    for f in [Format::Png, Format::Pdf, Format::Svg] {
                        if ui
                            .radio_value(&mut self.format, f, f.extension().to_uppercase())
                            .changed()
                        {
                            self.fix_extension();
                        }
                    }
                });
                ui.end_row();

                let label = ui.label("Paper");
                egui::ComboBox::from_id_salt("export_paper")
                    .selected_text(self.paper.label())
                    .show_ui(ui, |ui| {
                        for p in Paper::ALL {
                            ui.selectable_value(&mut self.paper, p, p.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();

                ui.label("Orientation");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut self.orientation, Orientation::Auto, "Auto");
                    ui.radio_value(&mut self.orientation, Orientation::Landscape, "Landscape");
                    ui.radio_value(&mut self.orientation, Orientation::Portrait, "Portrait");
                });
                ui.end_row();

                ui.label("Resolution");
                ui.add_enabled_ui(self.format == Format::Png, |ui| {
                    ui.add(
                        egui::Slider::new(&mut self.dpi, limits::MIN_DPI..=limits::MAX_DPI)
                            .step_by(1.0)
                            .text("dpi"),
                    )
                    .on_disabled_hover_text("SVG and PDF are vector formats: sharp at any size");
                });
                ui.end_row();

                ui.label("Scale");
                ui.horizontal(|ui| {
                    ui.checkbox(&mut self.fixed_scale, "Fixed")
                        .on_hover_text("Off: the canvas fills the paper");
                    let label = ui.label("Factor");
                    ui.add_enabled(
                        self.fixed_scale,
                        egui::DragValue::new(&mut self.scale)
                            .range(limits::MIN_SCALE..=limits::MAX_SCALE)
                            .speed(0.01)
                            .suffix("×"),
                    )
                    .labelled_by(label.id);
                });
                ui.end_row();

                let label = ui.label("Margins");
                ui.add(
                    egui::DragValue::new(&mut self.margin_mm)
                        .range(0.0..=50.0)
                        .speed(0.5)
                        .suffix(" mm"),
                )
                .labelled_by(label.id);
                ui.end_row();

                ui.label("On the page");
                ui.horizontal_wrapped(|ui| {
                    ui.checkbox(&mut self.legend, "Legend");
                    ui.checkbox(&mut self.summary, "Title and coherence");
                    ui.checkbox(&mut self.dark, "Dark");
                    ui.checkbox(&mut self.emotion_curve, "Emotion curve");
                    ui.checkbox(&mut self.hatch_assumed, "Hatch assumed")
                        .on_hover_text("Hatch the cards no one has observed or heard about yet");
                });
                ui.end_row();

                if self.format == Format::Svg {
                    ui.label("Text");
                    ui.checkbox(&mut self.text_as_paths, "As outlines")
                        .on_hover_text(
                            "For print shops and viewers that ignore embedded fonts; \
                             otherwise the fonts travel inside the SVG",
                        );
                    ui.end_row();
                }

                ui.label("Sheets");
                ui.add_enabled_ui(self.paper != Paper::Fit, |ui| {
                    ui.horizontal(|ui| {
                        ui.checkbox(&mut self.tiled, "Tiles");
                        ui.add_enabled_ui(self.tiled, |ui| {
                            let cols = ui.label("Columns");
                            ui.add(egui::DragValue::new(&mut self.cols).range(1..=20))
                                .labelled_by(cols.id);
                            let rows = ui.label("rows");
                            ui.add(egui::DragValue::new(&mut self.rows).range(1..=20))
                                .labelled_by(rows.id);
                            let overlap = ui.label("overlap");
                            ui.add(
                                egui::DragValue::new(&mut self.overlap_mm)
                                    .range(0.0..=50.0)
                                    .suffix(" mm"),
                            )
                            .labelled_by(overlap.id);
                        });
                    });
                })
                .response
                .on_disabled_hover_text("Choose a paper size to print on several sheets");
                ui.end_row();

                let label = ui.label("File");
                ui.horizontal(|ui| {
                    if self.path.is_empty() {
                        self.path =
                            format!("{}.{}", file_stem(&doc.title), self.format.extension());
                    }
                    ui.add(
                        egui::TextEdit::singleline(&mut self.path)
                            .hint_text("folder/file name")
                            .desired_width(220.0),
                    )
                    .labelled_by(label.id);
                    if ui.button("Browse…").clicked() {
                        self.browse(doc);
                    }
                });
                ui.end_row();
            });
        ui.label(egui::RichText::new(self.summary_line()).weak());
    }

    /// One line describing what will come out: pixel size and sheet count.
    fn summary_line(&self) -> String {
        let opts = self.options();
        let sheets = match opts.tiles {
            Tiles::Grid { cols, rows } => cols * rows,
            _ => 1,
        };
        let sheets_text = if sheets == 1 {
            "1 sheet".to_owned()
        } else if self.format == Format::Pdf {
            format!("{sheets} pages")
        } else {
            format!("{sheets} files")
        };
        match (self.format, opts.paper.size_mm()) {
            (Format::Png, Some((w, h))) => {
                let landscape = opts.orientation != Orientation::Portrait;
                let (w, h) = if landscape == (w >= h) {
                    (w, h)
                } else {
                    (h, w)
                };
                let px = |mm: f32| (mm / 25.4 * opts.dpi).round() as u32;
                let orient = if opts.orientation == Orientation::Auto {
                    " (landscape if the canvas is wide)"
                } else {
                    ""
                };
                format!("{} × {} px{orient}, {sheets_text}", px(w), px(h))
            }
            _ => sheets_text,
        }
    }

    /// Makes the file's extension follow the chosen format.
    fn fix_extension(&mut self) {
        if self.path.is_empty() {
            return;
        }
        let path = PathBuf::from(&self.path).with_extension(self.format.extension());
        self.path = path.display().to_string();
    }

    fn browse(&mut self, doc: &Document) {
        let ext = self.format.extension();
        let name = format!("{}.{ext}", file_stem(&doc.title));
        let chosen = rfd::FileDialog::new()
            .set_file_name(name)
            .add_filter(ext.to_uppercase(), &[ext])
            .save_file();
        match chosen {
            Some(p) => self.set_path(p),
            None => {
                self.outcome = Some(Err(
                    "No file chosen. If no file dialog appeared, type the path in the File field."
                        .into(),
                ));
            }
        }
    }

    fn actions_ui(&mut self, ui: &mut egui::Ui, doc: &Document) {
        if let Some(job) = &self.job {
            ui.add(
                egui::ProgressBar::new(job.progress.fraction.clamp(0.0, 1.0))
                    .show_percentage()
                    .text(job.progress.message.clone()),
            );
            if ui.button("Cancel export").clicked() {
                job.cancel.store(true, Ordering::Relaxed);
            }
            return;
        }
        ui.horizontal(|ui| {
            if ui.button("Export").clicked() {
                self.start(ui.ctx(), doc);
            }
            if ui.button("Close").clicked() {
                self.close();
            }
        });
        match &self.outcome {
            Some(Ok(files)) => {
                let list: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
                ui.label(format!("Saved {}", list.join(", ")));
            }
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            None => {}
        }
    }

    /// Starts the export on a background thread.
    fn start(&mut self, ctx: &egui::Context, doc: &Document) {
        let path = PathBuf::from(self.path.trim());
        if path.as_os_str().is_empty() {
            self.outcome = Some(Err("Choose a file to export to.".into()));
            return;
        }
        let format = Format::from_path(&path).unwrap_or(self.format);
        let path = if Format::from_path(&path).is_none() {
            path.with_extension(format.extension())
        } else {
            path
        };
        let opts = self.options();
        if let Err(e) = opts.validate() {
            self.outcome = Some(Err(e.to_string()));
            return;
        }
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let doc = doc.clone();
        let ctx = ctx.clone();
        let stop = cancel.clone();
        let spawned = std::thread::Builder::new()
            .name("stagecraft-export".into())
            .spawn(move || {
                let progress_tx = tx.clone();
                let progress_ctx = ctx.clone();
                let result = export::export_to_path(&doc, &path, format, &opts, &mut |p| {
                    let _ = progress_tx.send(Msg::Progress(p));
                    progress_ctx.request_repaint();
                    !stop.load(Ordering::Relaxed)
                })
                .map_err(|e| e.to_string());
                let _ = tx.send(Msg::Done(result));
                ctx.request_repaint();
            });
        match spawned {
            Ok(_) => {
                self.outcome = None;
                self.job = Some(Job {
                    rx,
                    cancel,
                    progress: Progress {
                        fraction: 0.0,
                        message: "Starting".into(),
                    },
                });
            }
            Err(e) => self.outcome = Some(Err(format!("could not start the export: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    struct State {
        dialog: ExportDialog,
        doc: Document,
    }

    #[test]
    fn opening_again_forgets_the_last_exports_message() {
        let mut dialog = ExportDialog::default();
        dialog.open();
        dialog.outcome = Some(Ok(vec![PathBuf::from("journey.pdf")]));
        dialog.close();
        assert!(!dialog.open);
        dialog.open();
        assert_eq!(dialog.outcome(), None, "no stale “Saved journey.pdf”");
    }

    #[test]
    fn exports_in_the_background_and_reports_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("journey.pdf");
        let mut dialog = ExportDialog::default();
        dialog.open();
        dialog.set_path(&target);
        let mut doc = Document::new_canvas();
        doc.title = "Zażółć gęślą jaźń".into();
        let mut harness = Harness::new_ui_state(
            |ui, s: &mut State| s.dialog.ui(ui.ctx(), &s.doc),
            State { dialog, doc },
        );
        harness.get_by_label("Tiles").click();
        harness.run();
        assert_eq!(
            harness.state().dialog.options().tiles,
            Tiles::Grid { cols: 2, rows: 2 }
        );
        harness.get_by_label("Export").click();
        // The worker repaints on every progress message, so the UI never "settles"
        // while it runs: step frames instead of `run`, which would count them as a loop.
        harness.step();
        for _ in 0..600 {
            if !harness.state().dialog.is_running() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
            harness.step();
        }
        harness.run_steps(3);
        let outcome = harness.state().dialog.outcome().cloned();
        assert_eq!(outcome, Some(Ok(vec![target.clone()])));
        let bytes = std::fs::read(&target).expect("written");
        assert!(bytes.starts_with(b"%PDF"));
        assert!(harness.query_by_label_contains("Saved").is_some());
    }

    #[test]
    fn file_names_come_from_the_title() {
        assert_eq!(file_stem("Café: morning / rush"), "Café-morning-rush");
        assert_eq!(file_stem("  "), "canvas");
    }

    #[test]
    fn summary_line_predicts_the_pixel_size() {
        let mut d = ExportDialog {
            orientation: Orientation::Landscape,
            dpi: 300.0,
            ..ExportDialog::default()
        };
        assert!(
            d.summary_line().starts_with("4961 × 3508 px"),
            "{}",
            d.summary_line()
        );
        d.format = Format::Pdf;
        d.tiled = true;
        assert_eq!(d.summary_line(), "4 pages");
    }
}
