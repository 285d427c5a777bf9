"""The one place the UI imports Qt from (with the minimum version check)."""

from PySide6 import __version_info__ as PYSIDE_VERSION
from PySide6.QtCore import (  # noqa: F401
    QAbstractTableModel, QByteArray, QBuffer, QCoreApplication, QDate, QEvent, QItemSelectionModel, QLocale,
    QModelIndex, QObject, QPoint, QPointF, QRect, QSize, QSortFilterProxyModel, QThread, QTimer, QTranslator,
    Qt, Signal, Slot, QCollator, QElapsedTimer, QEventLoop, QIODevice, QUrl,
)
from PySide6.QtGui import (  # noqa: F401
    QAction, QColor, QFont, QFontDatabase, QGuiApplication, QIcon, QImage, QKeySequence, QPainter, QPainterPath,
    QPalette, QPen, QPixmap, QShortcut, QTextOption, QBrush, QCloseEvent, QStandardItem, QStandardItemModel,
    QFontMetrics, QFontMetricsF, QAccessible,
)
from PySide6.QtWidgets import (  # noqa: F401
    QAbstractItemView, QApplication, QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QDoubleSpinBox,
    QFileDialog, QFormLayout, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QMainWindow, QMenu, QMessageBox, QPlainTextEdit, QProgressBar, QPushButton,
    QScrollArea, QSizePolicy, QSpinBox, QSplitter, QStackedWidget, QStatusBar, QStyle, QTableView, QTabWidget,
    QTextBrowser, QToolButton, QVBoxLayout, QWidget, QButtonGroup, QRadioButton, QStyledItemDelegate,
    QTableWidget, QTableWidgetItem, QProxyStyle, QToolTip, QTreeView, QDockWidget, QLayout, QAbstractButton,
    QWidgetItem,
)

MINIMUM = (6, 5)
if tuple(PYSIDE_VERSION[:2]) < MINIMUM:  # pragma: no cover - packaging pins a newer one
    raise ImportError(f"VSM Desktop needs PySide6 {MINIMUM[0]}.{MINIMUM[1]} or newer")
