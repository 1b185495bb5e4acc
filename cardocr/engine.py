"""The OCR engine interface, and the two engines behind it: Tesseract and RapidOCR.

The pipeline only needs text lines with word positions and confidences, so any engine that
can produce :class:`OcrLine` objects from a grayscale picture can serve: write a class with a
``read`` method and pass it to :func:`cardocr.read_npwp`.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np
import pytesseract
from PIL import Image

log = logging.getLogger("cardocr")


@dataclass(frozen=True)
class OcrWord:
    """One recognised word, its box in pixels (left, top, width, height) and confidence 0-100."""

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float


Point = tuple[float, float]


@dataclass(frozen=True)
class OcrLine:
    """The words of one text line, left to right, and where the line lies in the picture.

    ``quad`` is the line's outline as four corners (top-left, top-right, bottom-right,
    bottom-left of the picture, not of the text) where the engine gives one, as RapidOCR
    does for a tilted line; else it is the box around the words.
    """

    words: tuple[OcrWord, ...]
    quad: tuple[Point, Point, Point, Point] | None = None

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def box(self) -> tuple[int, int, int, int]:
        """left, top, right, bottom around the line, in the picture's pixels."""
        if self.quad is not None:
            xs, ys = [x for x, _ in self.quad], [y for _, y in self.quad]
            return round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys))
        w = self.words
        return min(x.left for x in w), min(x.top for x in w), max(x.left + x.width for x in w), max(x.top + x.height for x in w)

    @property
    def corners(self) -> tuple[Point, Point, Point, Point]:
        """The quad, or the box's corners."""
        if self.quad is not None:
            return self.quad
        left, top, right, bottom = self.box
        return (left, top), (right, top), (right, bottom), (left, bottom)

    @property
    def confidence(self) -> float:
        """The engine's confidence in the line, 0-1: the least sure of its words."""
        return min(word.confidence for word in self.words) / 100 if self.words else 0.0


class OcrEngine(Protocol):
    """What the pipeline asks of an engine: the text lines of an upright grayscale picture."""

    name: str
    #: True when the engine reads a line turned 90 or 180 degrees as it is printed (RapidOCR's
    #: direction classifier); then a turned card is parsed from its lines' positions alone.
    reads_turned_lines: bool

    def read(self, image: np.ndarray) -> list[OcrLine]:
        """Return the lines in reading order (top to bottom within each text block)."""
        ...


class EngineUnavailable(RuntimeError):
    """The engine cannot run here (binary or language data missing)."""


class TesseractEngine:
    """Tesseract 5 through pytesseract: LSTM engine, English and Indonesian language data."""

    name = "tesseract"
    reads_turned_lines = False

    def __init__(self, lang: str = "eng+ind", psm: int = 4, timeout_s: float = 15.0, threads: int = 1) -> None:
        self._tesseract = pytesseract
        # English first, Indonesian as the second model: on 120 phone photos "ind+eng" misread
        # the monospaced 0 of the number line (as 9) on 3 cards where "eng+ind" misread none;
        # names and addresses came out the same, at the same speed.
        self.lang = lang
        # psm 4, "a single column of text of variable sizes", is what a card is. psm 6 (one
        # uniform block) merged the large "NPWP" heading with the number line and dropped both
        # on some photos; the default (psm 3) is slower and splits the card into blocks.
        self.config = f"--oem 1 --psm {psm}"
        self.timeout_s = timeout_s
        # Tesseract's OpenMP threads spin and fight each other on a 2-core machine: a 1400x880
        # card took 2.33 s by default and 0.40 s with one thread when the issue was filed (0.80 s
        # against 0.42 s in a later run), and two requests at once make it worse. Concurrency
        # comes from the server's request threads instead, one single-threaded tesseract process
        # each. pytesseract hands os.environ to the tesseract process (it takes no env
        # argument), so the limit is set there.
        os.environ["OMP_THREAD_LIMIT"] = str(threads)

    def read(self, image: np.ndarray) -> list[OcrLine]:
        picture = Image.fromarray(image)
        picture.format = "BMP"  # pytesseract writes a temp file: BMP skips PNG compression
        try:
            data = self._tesseract.image_to_data(
                picture, lang=self.lang, config=self.config, timeout=self.timeout_s,
                output_type=self._tesseract.Output.DICT,
            )  # fmt: skip
        except self._tesseract.TesseractNotFoundError as exc:
            raise EngineUnavailable("tesseract is not installed (Debian package tesseract-ocr)") from exc
        except self._tesseract.TesseractError as exc:
            if "load" in str(exc.message).lower():  # "Failed loading language 'ind'"
                raise EngineUnavailable(f"tesseract cannot load {self.lang}: install tesseract-ocr-ind") from exc
            raise
        except RuntimeError as exc:  # pytesseract's "Tesseract process timeout"; it killed the process
            log.warning("tesseract: %s after %.0f s; treating the picture as unreadable", exc, self.timeout_s)
            return []
        return _lines(data)


def _lines(data: dict[str, list]) -> list[OcrLine]:
    """Group Tesseract's TSV rows into lines, keyed by (block, paragraph, line)."""
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for i, text in enumerate(data["text"]):
        text = str(text).strip()
        if not text:
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        lines.setdefault(key, []).append(
            OcrWord(text, int(data["left"][i]), int(data["top"][i]), int(data["width"][i]),
                    int(data["height"][i]), float(data["conf"][i]))
        )  # fmt: skip
    return [OcrLine(tuple(sorted(words, key=lambda w: w.left))) for _, words in sorted(lines.items())]


class RapidOcrEngine:
    """RapidOCR: PaddleOCR's PP-OCRv6 detection and recognition models on onnxruntime, on the CPU.

    The models are the ones inside the installed ``rapidocr`` wheel, passed by path: RapidOCR
    would otherwise download a model it does not find, and this machine (like a demo laptop)
    is offline. One engine serves a whole process; reads are serialised by a lock, because
    RapidOCR keeps per-call settings on the object and onnxruntime already uses both cores
    (``threads``) for one picture.
    """

    name = "rapidocr"
    reads_turned_lines = True
    #: Long side the detector works at; smaller pictures (a thumbnail) are scaled up to it first.
    DETECT_SIDE = 960
    #: The packaged models, by RapidOCR's config section.
    MODELS = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx", "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx"}

    def __init__(self, threads: int = 2, models_dir: Path | str | None = None) -> None:
        try:
            import onnxruntime  # noqa: F401 - the runtime must load here, or this engine cannot run
            import rapidocr
        except ImportError as exc:
            raise EngineUnavailable(f"RapidOCR cannot load ({exc}); install rapidocr and onnxruntime") from exc
        folder = Path(models_dir) if models_dir is not None else Path(rapidocr.__file__).parent / "models"
        missing = [name for name in self.MODELS.values() if not (folder / name).is_file()]
        if missing:
            raise EngineUnavailable(
                f"RapidOCR's packaged model {', '.join(missing)} is missing from {folder}; reinstall the rapidocr wheel"
            )
        params: dict[str, Any] = {f"{section}.model_path": str(folder / name) for section, name in self.MODELS.items()}
        params |= {
            "Global.log_level": "warning",
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            # The detector sees the picture at most DETECT_SIDE px long (the recogniser still
            # reads each line from the full picture): RapidOCR's default scales the short side
            # up to 736, which on a phone photo costs time and finds nothing more.
            "Det.limit_type": "max",
            "Det.limit_side_len": self.DETECT_SIDE,
        }
        self._ocr = rapidocr.RapidOCR(params=params)
        self._lock = threading.Lock()

    def read(self, image: np.ndarray) -> list[OcrLine]:
        """The lines of ``image``: grey, or RGB (turned to the BGR order RapidOCR takes an array in)."""
        if image.ndim == 3:
            image = np.ascontiguousarray(image[..., ::-1])
        scale = self.DETECT_SIDE / max(image.shape[:2])
        if scale > 1:  # a thumbnail: letters a few pixels high are read better larger
            image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        else:
            scale = 1.0
        with self._lock:
            try:
                found = self._ocr(image, use_det=True, use_cls=True, use_rec=True)
            except Exception as exc:  # noqa: BLE001 - RapidOCR raises on pictures it cannot scale (100:1 strips)
                log.warning("rapidocr: %s on a %dx%d picture; read as no text", type(exc).__name__, *image.shape[1::-1][:2])
                return []
        if found.boxes is None or found.txts is None or found.scores is None:
            return []  # no text at all
        boxes = [np.asarray(box, dtype=np.float64) / scale for box in found.boxes]
        lines = [_rapid_line(box, text, float(score)) for box, text, score in zip(boxes, found.txts, found.scores)]
        return sorted((line for line in lines if line.words), key=lambda line: (line.words[0].top, line.words[0].left))


def _rapid_line(box: np.ndarray, text: str, score: float) -> OcrLine:
    """One RapidOCR text line as an OcrLine: its words share the line's box, split by character count.

    RapidOCR boxes a whole line (four corners); a word's share of the width is its share of
    the characters, which is as much as the pipeline asks of a word's position.
    """
    xs, ys = [float(x) for x, _ in box], [float(y) for _, y in box]
    left, top, right, bottom = min(xs), min(ys), max(xs), max(ys)
    words = text.split()
    total = max(1, len(text))
    out, start = [], 0
    for word in words:
        position = text.index(word, start)
        start = position + len(word)
        x0 = left + (right - left) * position / total
        x1 = left + (right - left) * start / total
        out.append(OcrWord(word, round(x0), round(top), max(1, round(x1 - x0)), max(1, round(bottom - top)), score * 100))
    quad = tuple((float(x), float(y)) for x, y in box)
    return OcrLine(tuple(out), quad)  # type: ignore[arg-type]


#: Where Debian's tesseract-ocr packages put the language data (the first that holds eng).
TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata")


class LineReader:
    """Tesseract in single-line mode (``--psm 7``), in-process through tesserocr.

    The spaces RapidOCR drops are put back from this read of each line's crop. A tesseract
    process per card would cost a tenth of a second to start and load its model; tesserocr
    keeps one model loaded and reads a line in 10-30 ms. One reader serves a process; reads
    are serialised by a lock (a tesseract API object is not thread-safe).
    """

    def __init__(self, lang: str = "eng") -> None:
        import tesserocr  # the wheel bundles libtesseract

        folder = os.environ.get("TESSDATA_PREFIX") or next(
            (d for d in TESSDATA_DIRS if os.path.isfile(os.path.join(d, f"{lang}.traineddata"))), None
        )
        if folder is None:
            raise EngineUnavailable(f"no Tesseract language data for {lang}: install tesseract-ocr")
        try:
            # No dictionaries: a space comes from the picture, never from a list of words.
            self._api = tesserocr.PyTessBaseAPI(
                path=folder.rstrip("/") + "/", lang=lang, psm=tesserocr.PSM.SINGLE_LINE, oem=tesserocr.OEM.LSTM_ONLY,
                variables={"load_system_dawg": "0", "load_freq_dawg": "0"},
            )  # fmt: skip
        except RuntimeError as exc:
            raise EngineUnavailable(f"tesserocr cannot load {lang} from {folder}: {exc}") from exc
        self._lock = threading.Lock()

    def read(self, images: list[np.ndarray]) -> list[str]:
        out = []
        with self._lock:
            for image in images:
                self._api.SetImage(Image.fromarray(image))
                out.append(" ".join(self._api.GetUTF8Text().split()))
        return out


_line_reader: LineReader | None = None
_line_reader_failed = False
_line_reader_lock = threading.Lock()


def read_single_lines(images: list[np.ndarray], lang: str = "eng") -> list[str] | None:
    """Tesseract's text of each picture, each read as one line; None when Tesseract cannot run."""
    global _line_reader, _line_reader_failed
    if not images:
        return []
    with _line_reader_lock:
        if _line_reader is None and not _line_reader_failed:
            try:
                _line_reader = LineReader(lang)
            except (ImportError, EngineUnavailable) as exc:
                _line_reader_failed = True
                log.warning("cardocr: single-line Tesseract unavailable (%s); RapidOCR's spaces are kept as read", exc)
    if _line_reader is None:
        return None
    try:
        return _line_reader.read(images)
    except Exception as exc:  # noqa: BLE001 - the spaces are a refinement: the read stands without them
        log.warning("cardocr: single-line Tesseract failed (%s); RapidOCR's spaces are kept", type(exc).__name__)
        return None
