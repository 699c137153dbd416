"""Names and streets for the synthetic Heemstede data set (no real people)."""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


UK_GIVEN = _words(
    "Olena Oksana Iryna Natalia Tetiana Yulia Anna Mariia Sofiia Viktoriia"
    " Andrii Oleksandr Dmytro Serhii Mykola Ivan Yurii Bohdan Maksym Artem"
)
UK_FAMILY = _words(
    "Kovalenko Shevchenko Bondarenko Tkachenko Kravchenko Oliinyk Shevchuk Polishchuk Melnyk"
    " Savchenko Lysenko Marchenko Rudenko Moroz Boiko Tkachuk Kovalchuk Ponomarenko"
)
MINOR_NAMES = {
    "SYR": (
        _words("Ahmad Omar Yusuf Khaled Mahmoud Rami Samer"),
        _words("Al-Hassan Haddad Khalil Darwish Nasser Sabbagh"),
    ),
    "ERI": (
        _words("Yonas Filmon Robel Merhawi Dawit Samuel"),
        _words("Tesfay Ghebremedhin Berhane Tekle Haile Kidane Asmerom"),
    ),
    "AFG": (
        _words("Ahmad Mohammad Ali Farid Jawad Hamid Sami"),
        _words("Ahmadi Hakimi Rahimi Karimi Noori Sultani Hashimi"),
    ),
}
HOST_STREETS = [
    ("Binnenweg", "2101 JC"), ("Raadhuisstraat", "2101 HG"), ("Van Merlenlaan", "2103 GD"),
    ("Herenweg", "2105 MG"), ("Camplaan", "2103 GW"), ("Lanckhorstlaan", "2101 XP"),
    ("Javalaan", "2103 VM"), ("Van Lyndenweg", "2102 BP"), ("Troelstralaan", "2102 AM"),
    ("Jan van Goyenstraat", "2102 CA"), ("Bronsteeweg", "2101 AC"), ("Laan van Rozenburg", "2104 HE"),  # noqa: E501
]  # fmt: skip
